"use client";

import { useState } from "react";
import { SlidersHorizontalIcon } from "lucide-react";

import { toUtcInput } from "@/lib/format/utc-input";
import { fieldByMember } from "@/lib/requests/field-errors";
import {
  propertyChanges,
  rowsFromTags,
  tagsFromRows,
  type KeyProperties,
  type PropertyField,
} from "@/lib/requests/key-drafts";
import { isGuid } from "@/lib/validation/primitives";
import { Field, FieldError } from "@/components/ui/field";
import { ActionDialog } from "@/components/requests/action-dialog";
import { OwnerField } from "@/components/requests/owner-field";
import { RequestForm } from "@/components/requests/request-form";
import { TagRowsField } from "@/components/requests/tag-rows-field";
import { UtcDateField } from "@/components/requests/utc-date-field";

type FormField = PropertyField | "owner";

const itemFieldOf = fieldByMember<FormField>({
  enabled: "enabled",
  notBefore: "notBefore",
  expiresOn: "expires",
  tags: "tags",
});

interface PropertiesProps {
  hsm: string;
  keyName: string;
  current: KeyProperties;
  owners: [string, string][];
}

/** "Edit properties": enabled, validity, owner group and tags; only what changed is filed. */
export function KeyPropertiesDialog(props: PropertiesProps) {
  return (
    <ActionDialog
      label="Edit properties"
      icon={<SlidersHorizontalIcon aria-hidden />}
      title={`Properties of ${props.keyName}`}
      description="Times are UTC. Tags replace all of the key's tags."
    >
      <KeyPropertiesForm {...props} />
    </ActionDialog>
  );
}

function KeyPropertiesForm({ hsm, keyName, current, owners }: PropertiesProps) {
  const [enabled, setEnabled] = useState(current.enabled);
  const [notBefore, setNotBefore] = useState(toUtcInput(current.notBefore));
  const [expires, setExpires] = useState(toUtcInput(current.expiresAt));
  const [owner, setOwner] = useState(current.tags.owner ?? "");
  const [rows, setRows] = useState(() => rowsFromTags(current.tags, ["owner"]));
  const tags = tagsFromRows(rows, { owner });
  const rowErrors = new Map(
    (tags.errors ?? []).flatMap((e) => (e.row === null ? [] : [[e.row, e.message] as const])),
  );

  function build() {
    if (owner !== (current.tags.owner ?? "") && owner !== "" && !isGuid(owner))
      return { errors: { owner: "Give the group's object id, a GUID." } };
    if (tags.errors)
      return { errors: { tags: tags.errors.find((e) => e.row === null)?.message ?? "" } };
    const result = propertyChanges(current, { enabled, notBefore, expires, tags: tags.tags });
    if (result.errors) return { errors: result.errors };
    if (Object.keys(result.changes).length === 0)
      return { errors: {}, form: "Nothing has changed yet." };
    return { item: { key: keyName, ...result.changes } };
  }

  return (
    <RequestForm<FormField>
      id="key-properties"
      kind="key.update"
      hsm={hsm}
      build={build}
      itemFieldOf={itemFieldOf}
      submitLabel="File the request"
    >
      {(errors) => (
        <>
          <Field>
            <label className="flex items-center gap-2 text-sm font-medium">
              <input
                type="checkbox"
                checked={enabled}
                className="size-4 accent-primary"
                onChange={(event) => setEnabled(event.target.checked)}
              />
              Enabled
            </label>
            <FieldError>{errors.enabled}</FieldError>
          </Field>
          <UtcDateField
            id="key-properties-not-before"
            label="Valid from (UTC)"
            value={notBefore}
            empty="Valid from creation"
            error={errors.notBefore}
            onChange={setNotBefore}
          />
          <UtcDateField
            id="key-properties-expires"
            label="Expires (UTC)"
            value={expires}
            empty="Never expires"
            error={errors.expires}
            onChange={setExpires}
          />
          <OwnerField
            id="key-properties-owner"
            value={owner}
            options={owners}
            error={errors.owner}
            onChange={setOwner}
          />
          <TagRowsField
            id="key-properties-tags"
            rows={rows}
            rowErrors={rowErrors}
            error={errors.tags || undefined}
            onChange={setRows}
          />
        </>
      )}
    </RequestForm>
  );
}
