"use client";

import { useState } from "react";

import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import {
  NativeSelect,
  NativeSelectOption,
  NativeSelectOptions,
} from "@/components/ui/native-select";

const OTHER = "other";

/**
 * The key's owner group (its `owner` tag), chosen by name among the groups the portal knows, or
 * given by object id for a group it does not know yet.
 */
export function OwnerField({
  id,
  value,
  options,
  error,
  onChange,
}: {
  id: string;
  value: string;
  /** [group object id, its name], labelled on the server. */
  options: [string, string][];
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const known = value === "" || options.some(([groupId]) => groupId === value);
  const [other, setOther] = useState(!known);
  return (
    <Field>
      <FieldLabel htmlFor={id}>Owner group</FieldLabel>
      <NativeSelect
        id={id}
        value={other ? OTHER : value}
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          const chosen = event.target.value;
          setOther(chosen === OTHER);
          onChange(chosen === OTHER ? "" : chosen);
        }}
      >
        <NativeSelectOption value="">No owner group</NativeSelectOption>
        <NativeSelectOptions options={options} />
        <NativeSelectOption value={OTHER}>Another group, by object id…</NativeSelectOption>
      </NativeSelect>
      {other ? (
        <Input
          aria-label="Owner group object id"
          value={value}
          placeholder="00000000-0000-0000-0000-000000000000"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-error`}
          onChange={(event) => onChange(event.target.value.trim())}
        />
      ) : null}
      <FieldDescription id={`${id}-hint`}>
        Its members see the key in the portal (the key&apos;s owner tag).
      </FieldDescription>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </Field>
  );
}
