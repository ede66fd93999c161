"use client";

import { useState } from "react";

import type { PrincipalChoice, RoleChoice } from "@/lib/access/grant-choices";
import { SCOPE_CHOICES, type ScopeChoice } from "@/lib/access/grant-draft";
import type { PrincipalKind } from "@/lib/access/model";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import {
  NativeSelect,
  NativeSelectOption,
  NativeSelectOptions,
} from "@/components/ui/native-select";

/* The grant form's fields: scope, role and principal, each with its error under it. */

const KINDS: [PrincipalKind, string][] = [
  ["group", "Groups"],
  ["user", "Users"],
  ["servicePrincipal", "Service principals"],
  ["unknown", "Not looked up yet"],
];
const OTHER = "other";

export function ScopeField({
  id,
  scope,
  keyName,
  errors,
  onChange,
}: {
  id: string;
  scope: ScopeChoice;
  keyName: string;
  errors: { scope?: string; key?: string };
  onChange: (scope: ScopeChoice, keyName: string) => void;
}) {
  return (
    <>
      <Field>
        <FieldLabel htmlFor={`${id}-scope`}>Scope</FieldLabel>
        <NativeSelect
          id={`${id}-scope`}
          value={scope}
          aria-invalid={errors.scope ? true : undefined}
          aria-describedby={`${id}-scope-error`}
          onChange={(event) => onChange(event.target.value as ScopeChoice, keyName)}
        >
          <NativeSelectOptions options={SCOPE_CHOICES} />
        </NativeSelect>
        <FieldError id={`${id}-scope-error`}>{errors.scope}</FieldError>
      </Field>
      {scope === "key" ? (
        <Field className="sm:col-span-2">
          <FieldLabel htmlFor={`${id}-key`}>Key name</FieldLabel>
          <Input
            id={`${id}-key`}
            value={keyName}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.key ? true : undefined}
            aria-describedby={`${id}-key-error`}
            onChange={(event) => onChange(scope, event.target.value)}
          />
          <FieldError id={`${id}-key-error`}>{errors.key}</FieldError>
        </Field>
      ) : null}
    </>
  );
}

export function RoleField({
  id,
  value,
  roles,
  error,
  onChange,
}: {
  id: string;
  value: string;
  roles: RoleChoice[];
  error: string | undefined;
  onChange: (roleDefinitionId: string) => void;
}) {
  const groups = [
    ["Built-in roles", roles.filter((r) => !r.custom)],
    ["Custom roles", roles.filter((r) => r.custom)],
  ] as const;
  return (
    <Field>
      <FieldLabel htmlFor={id}>Role</FieldLabel>
      <NativeSelect
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-error`}
        onChange={(event) => onChange(event.target.value)}
      >
        <NativeSelectOption value="" disabled>
          Choose…
        </NativeSelectOption>
        {groups.map(([label, list]) =>
          list.length === 0 ? null : (
            <optgroup key={label} label={label}>
              {list.map((role) => (
                <NativeSelectOption key={role.id} value={role.id}>
                  {role.roleName}
                </NativeSelectOption>
              ))}
            </optgroup>
          ),
        )}
      </NativeSelect>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </Field>
  );
}

/**
 * Who gets the role: a principal the portal knows, chosen by name, or any other by object id
 * (someone who holds no role yet is not in the list).
 */
export function PrincipalField({
  id,
  value,
  principals,
  error,
  onChange,
}: {
  id: string;
  value: string;
  principals: PrincipalChoice[];
  error: string | undefined;
  onChange: (principalId: string) => void;
}) {
  const [other, setOther] = useState(false);
  return (
    <Field>
      <FieldLabel htmlFor={id}>Principal</FieldLabel>
      <NativeSelect
        id={id}
        value={other ? OTHER : value}
        aria-invalid={error && !other ? true : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
        onChange={(event) => {
          const chosen = event.target.value;
          setOther(chosen === OTHER);
          onChange(chosen === OTHER ? "" : chosen);
        }}
      >
        <NativeSelectOption value="" disabled>
          Choose…
        </NativeSelectOption>
        {KINDS.map(([kind, label]) => {
          const list = principals.filter((p) => p.kind === kind);
          return list.length === 0 ? null : (
            <optgroup key={kind} label={label}>
              {list.map((principal) => (
                <NativeSelectOption key={principal.id} value={principal.id}>
                  {principal.label}
                  {principal.detail ? ` (${principal.detail})` : ""}
                </NativeSelectOption>
              ))}
            </optgroup>
          );
        })}
        <NativeSelectOption value={OTHER}>Another principal, by object id…</NativeSelectOption>
      </NativeSelect>
      {other ? (
        <Input
          aria-label="Principal object id"
          value={value}
          placeholder="00000000-0000-0000-0000-000000000000"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-error`}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : null}
      <FieldDescription id={`${id}-hint`}>
        Everyone a role assignment names or an assigned group holds; anyone else by the object id
        Entra ID gives them.
      </FieldDescription>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </Field>
  );
}
