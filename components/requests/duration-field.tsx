"use client";

import { DURATION_UNITS, type DurationUnit } from "@/lib/rotation/policy-draft";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect, NativeSelectOptions } from "@/components/ui/native-select";

/** A duration as Azure's portal asks for one: a whole number and a unit. */
export function DurationField({
  id,
  label,
  hint,
  amount,
  unit,
  error,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  amount: string;
  unit: DurationUnit;
  error: string | undefined;
  onChange: (amount: string, unit: DurationUnit) => void;
}) {
  return (
    <Field>
      <FieldLabel htmlFor={id}>{label}</FieldLabel>
      <div className="flex gap-2">
        <Input
          id={id}
          inputMode="numeric"
          value={amount}
          className="w-24"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint ${id}-error`}
          onChange={(event) => onChange(event.target.value, unit)}
        />
        <NativeSelect
          aria-label={`${label}: unit`}
          value={unit}
          className="w-28"
          onChange={(event) => onChange(amount, event.target.value as DurationUnit)}
        >
          <NativeSelectOptions options={DURATION_UNITS} />
        </NativeSelect>
      </div>
      <FieldDescription id={`${id}-hint`}>{hint}</FieldDescription>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </Field>
  );
}
