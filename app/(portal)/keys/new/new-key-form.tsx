"use client";

import { useState } from "react";
import Link from "next/link";

import { fieldByMember } from "@/lib/requests/field-errors";
import {
  KEY_OPERATIONS,
  keyTypeOf,
  newKeyItem,
  tagsFromRows,
  type NewKeyField,
  type TagRow,
} from "@/lib/requests/key-drafts";
import { isGuid } from "@/lib/validation/primitives";
import { OwnerField } from "@/components/requests/owner-field";
import { RequestForm } from "@/components/requests/request-form";
import { TagRowsField } from "@/components/requests/tag-rows-field";

import { KeyBasicsFields, type KeyBasics } from "./key-basics-fields";
import { KeyOpsField } from "./key-ops-field";

type FormField = NewKeyField | "hsm" | "owner";

/** The server's messages: a refusal of the whole item (a name taken) belongs to the name. */
const itemFieldOf = (path: string): FormField | null =>
  path.startsWith("tags/owner")
    ? "owner"
    : fieldByMember<FormField>(
        {
          key: "name",
          kty: "type",
          size: "type",
          curve: "type",
          keyOps: "keyOps",
          tags: "tags",
          expiresOn: "expires",
        },
        "name",
      )(path);

/** "New key": files a key.create request; a rotation policy follows once the key exists. */
export function NewKeyForm({
  hsms,
  owners,
  now,
}: {
  hsms: string[];
  owners: [string, string][];
  now: number;
}) {
  const [basics, setBasics] = useState<KeyBasics>({
    hsm: hsms[0] ?? "",
    name: "",
    type: "RSA-3072",
    expires: "",
  });
  const family = keyTypeOf(basics.type)?.kty ?? "RSA";
  const [keyOps, setKeyOps] = useState<string[]>([...KEY_OPERATIONS[family]]);
  const [owner, setOwner] = useState("");
  const [rows, setRows] = useState<TagRow[]>([]);
  const tags = tagsFromRows(rows, { owner });
  const rowErrors = new Map(
    (tags.errors ?? []).flatMap((e) => (e.row === null ? [] : [[e.row, e.message] as const])),
  );

  function build() {
    if (owner !== "" && !isGuid(owner))
      return { errors: { owner: "Give the group's object id, a GUID." } };
    if (tags.errors)
      return { errors: { tags: tags.errors.find((e) => e.row === null)?.message ?? "" } };
    const result = newKeyItem({ ...basics, keyOps, tags: tags.tags }, now);
    return result.errors ? { errors: result.errors } : { item: result.item };
  }

  return (
    <RequestForm<FormField>
      id="new-key"
      kind="key.create"
      hsm={basics.hsm}
      build={build}
      itemFieldOf={itemFieldOf}
      hsmField="hsm"
      submitLabel="File the request"
      afterFiled={
        <>
          <p className="text-muted-foreground">
            A rotation policy can be set once the key exists: after the request is executed, open
            the key&apos;s page and choose “Set a rotation policy”.
          </p>
          <Link href="/keys" className="ui-link w-fit text-primary underline">
            Back to the keys
          </Link>
        </>
      }
    >
      {(errors) => (
        <div className="grid gap-x-8 gap-y-4 md:grid-cols-2">
          <KeyBasicsFields
            hsms={hsms}
            value={basics}
            errors={errors}
            onChange={(change) => {
              setBasics((b) => ({ ...b, ...change }));
              // A new type starts from the operations that type can perform.
              if (change.type) setKeyOps([...KEY_OPERATIONS[keyTypeOf(change.type)?.kty ?? "RSA"]]);
            }}
          />
          <div className="flex flex-col gap-4">
            <KeyOpsField
              available={KEY_OPERATIONS[family]}
              value={keyOps}
              error={errors.keyOps}
              onChange={setKeyOps}
            />
            <OwnerField
              id="new-key-owner"
              value={owner}
              options={owners}
              error={errors.owner}
              onChange={setOwner}
            />
            <TagRowsField
              id="new-key-tags"
              rows={rows}
              rowErrors={rowErrors}
              error={errors.tags || undefined}
              onChange={setRows}
            />
          </div>
        </div>
      )}
    </RequestForm>
  );
}
