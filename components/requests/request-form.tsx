"use client";

import { useEffect, useRef, useState } from "react";

import { fileRequestBody } from "@/lib/requests/api-shapes";
import { requestFieldOf } from "@/lib/requests/field-errors";
import type { RequestKind } from "@/lib/requests/kind-names";
import { Button } from "@/components/ui/button";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

import { RequestFiled } from "./request-filed";
import { useFileRequest } from "./use-file-request";

type Errors<F extends string> = Partial<Record<F | "justification", string>>;
const justificationSchema = fileRequestBody.shape.justification;

/**
 * A change-request form: the kind's own fields (children, given their errors), a justification,
 * for destructive kinds the key's name typed to confirm, and the submit button. It checks in
 * the browser what it can with the API's own schemas, files the request, puts the server's
 * messages next to their fields, and ends in "Request filed".
 */
export function RequestForm<F extends string>({
  id,
  kind,
  hsm,
  build,
  itemFieldOf,
  hsmField,
  confirmName,
  submitLabel,
  destructive = false,
  afterFiled,
  children,
}: {
  /** Prefix of the form's element ids. */
  id: string;
  kind: RequestKind;
  /** Absent for the portal's own kinds (approval policies, key templates). */
  hsm?: string;
  /** The request's one item (or, for a bulk change, its items), or the form's own errors. */
  build: () =>
    | { item: unknown; items?: undefined; errors?: null; form?: undefined }
    | { items: unknown[]; item?: undefined; errors?: null; form?: undefined }
    | { item?: null; items?: undefined; errors: Partial<Record<F, string>>; form?: string };
  /** The field a server error inside the item belongs to ("size" → "type"); null for the form. */
  itemFieldOf: (path: string) => F | null;
  hsmField?: F;
  /** Destructive kinds: the submit button waits until this name is typed. */
  confirmName?: string;
  submitLabel: string;
  destructive?: boolean;
  afterFiled?: React.ReactNode;
  children?: (errors: Partial<Record<F, string>>) => React.ReactNode;
}) {
  const fieldOf = requestFieldOf<F | "justification">({
    justification: "justification",
    hsm: hsmField,
    item: itemFieldOf,
  });
  const { file, pending, filed, errors: server } = useFileRequest(fieldOf);
  const [justification, setJustification] = useState("");
  const [typed, setTyped] = useState("");
  const [local, setLocal] = useState<Errors<F>>({});
  const [localForm, setLocalForm] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const errors: Errors<F> = { ...server.fields, ...local };

  // After a refused submit, focus goes to the first field with a message.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [server, local]);

  if (filed) return <RequestFiled request={filed}>{afterFiled}</RequestFiled>;

  async function submit() {
    const built = build();
    const reason = justificationSchema.safeParse(justification);
    const found: Errors<F> = { ...built.errors };
    if (!reason.success) found.justification = `Please ${reason.error.issues[0]!.message}.`;
    setLocal(found);
    setLocalForm(built.form ?? null);
    if (built.errors || !reason.success) return;
    const items = built.items ?? [built.item];
    await file({ kind, hsm, justification: reason.data, items });
  }

  const confirmed = confirmName === undefined || typed === confirmName;
  return (
    <form
      ref={formRef}
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {children?.(errors)}
      <Field>
        <FieldLabel htmlFor={`${id}-justification`}>Justification</FieldLabel>
        <Textarea
          id={`${id}-justification`}
          value={justification}
          maxLength={2000}
          aria-invalid={errors.justification ? true : undefined}
          aria-describedby={`${id}-justification-hint ${id}-justification-error`}
          onChange={(event) => setJustification(event.target.value)}
        />
        <FieldDescription id={`${id}-justification-hint`}>
          Why the change is needed, for the approvers (at least 10 characters).
        </FieldDescription>
        <FieldError id={`${id}-justification-error`}>{errors.justification}</FieldError>
      </Field>
      {confirmName !== undefined ? (
        <Field>
          <FieldLabel htmlFor={`${id}-confirm`}>
            Type <span className="font-mono break-all">{confirmName}</span> to confirm
          </FieldLabel>
          <Input
            id={`${id}-confirm`}
            value={typed}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setTyped(event.target.value)}
          />
        </Field>
      ) : null}
      {(localForm ?? server.form) ? (
        <p role="alert" className="text-sm [overflow-wrap:anywhere] text-destructive">
          {localForm ?? server.form}
        </p>
      ) : null}
      <Button
        type="submit"
        variant={destructive ? "destructive" : "default"}
        disabled={pending || !confirmed}
        className="self-end"
      >
        {pending ? "Filing…" : submitLabel}
      </Button>
    </form>
  );
}
