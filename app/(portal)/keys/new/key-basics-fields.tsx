"use client";

import { KEY_TYPES } from "@/lib/requests/key-drafts";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { UtcDateField } from "@/components/requests/utc-date-field";

export interface KeyBasics {
  hsm: string;
  name: string;
  type: string;
  expires: string;
}

/** Where the key goes, its name, its type, and when it expires. */
export function KeyBasicsFields({
  hsms,
  value,
  errors,
  onChange,
}: {
  hsms: string[];
  value: KeyBasics;
  errors: Partial<Record<keyof KeyBasics, string>>;
  onChange: (change: Partial<KeyBasics>) => void;
}) {
  const invalid = (field: keyof KeyBasics) => ({
    "aria-invalid": errors[field] ? true : undefined,
    "aria-describedby": `new-key-${field}-hint new-key-${field}-error`,
  });
  return (
    <div className="flex flex-col gap-4">
      <Field>
        <FieldLabel htmlFor="new-key-hsm">HSM</FieldLabel>
        <NativeSelect
          id="new-key-hsm"
          value={value.hsm}
          {...invalid("hsm")}
          onChange={(e) => onChange({ hsm: e.target.value })}
        >
          {hsms.map((h) => (
            <NativeSelectOption key={h} value={h}>
              {h}
            </NativeSelectOption>
          ))}
        </NativeSelect>
        <FieldError id="new-key-hsm-error">{errors.hsm}</FieldError>
      </Field>
      <Field>
        <FieldLabel htmlFor="new-key-name">Name</FieldLabel>
        <Input
          id="new-key-name"
          value={value.name}
          maxLength={127}
          autoComplete="off"
          spellCheck={false}
          {...invalid("name")}
          onChange={(e) => onChange({ name: e.target.value })}
        />
        <FieldDescription id="new-key-name-hint">
          1–127 letters, digits or hyphens; unique in the HSM.
        </FieldDescription>
        <FieldError id="new-key-name-error">{errors.name}</FieldError>
      </Field>
      <Field>
        <FieldLabel htmlFor="new-key-type">Type</FieldLabel>
        <NativeSelect
          id="new-key-type"
          value={value.type}
          {...invalid("type")}
          onChange={(e) => onChange({ type: e.target.value })}
        >
          {KEY_TYPES.map((t) => (
            <NativeSelectOption key={t.id} value={t.id}>
              {t.label}
            </NativeSelectOption>
          ))}
        </NativeSelect>
        <FieldError id="new-key-type-error">{errors.type}</FieldError>
      </Field>
      <UtcDateField
        id="new-key-expires"
        label="Expires (UTC, optional)"
        value={value.expires}
        empty="Never expires"
        error={errors.expires}
        onChange={(expires) => onChange({ expires })}
      />
    </div>
  );
}
