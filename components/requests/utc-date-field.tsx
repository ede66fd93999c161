"use client";

import { formatUtc } from "@/lib/format/date";
import { fromUtcInput } from "@/lib/format/utc-input";
import { Button } from "@/components/ui/button";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/**
 * A date and time typed in UTC. The browser shows the control in its own format, so the value
 * is also written out the portal's way ("13 Oct 2027, 16:27 UTC") under it.
 */
export function UtcDateField({
  id,
  label,
  value,
  empty,
  error,
  onChange,
}: {
  id: string;
  label: string;
  /** datetime-local text, "" for none. */
  value: string;
  /** What no date means: "Never expires". */
  empty: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const parsed = fromUtcInput(value);
  return (
    <Field>
      <FieldLabel htmlFor={id}>{label}</FieldLabel>
      <div className="flex gap-2">
        <Input
          id={id}
          type="datetime-local"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint ${id}-error`}
          onChange={(event) => onChange(event.target.value)}
        />
        <Button
          type="button"
          variant="ghost"
          size="sm"
          className="h-9"
          disabled={!value}
          onClick={() => onChange("")}
        >
          Clear<span className="sr-only"> {label}</span>
        </Button>
      </div>
      <FieldDescription id={`${id}-hint`}>
        {parsed ? formatUtc(parsed) : parsed === null ? empty : "Not a date and time yet."}
      </FieldDescription>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </Field>
  );
}
