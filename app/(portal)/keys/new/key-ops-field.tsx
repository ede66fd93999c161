"use client";

import type { KeyOperation } from "@/lib/requests/key-drafts";
import { FieldDescription, FieldError, FieldLegend, FieldSet } from "@/components/ui/field";

const WORDS: Record<KeyOperation, string> = {
  sign: "Sign",
  verify: "Verify",
  encrypt: "Encrypt",
  decrypt: "Decrypt",
  wrapKey: "Wrap keys",
  unwrapKey: "Unwrap keys",
};

/** The operations the key will allow, among those its type can perform. */
export function KeyOpsField({
  available,
  value,
  error,
  onChange,
}: {
  available: readonly KeyOperation[];
  value: readonly string[];
  error: string | undefined;
  onChange: (ops: string[]) => void;
}) {
  return (
    <FieldSet aria-describedby="new-key-ops-hint new-key-ops-error">
      <FieldLegend>Allowed operations</FieldLegend>
      <div className="grid grid-cols-2 gap-x-4 gap-y-2">
        {available.map((op) => (
          <label key={op} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-primary"
              checked={value.includes(op)}
              aria-invalid={error ? true : undefined}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? available.filter((o) => o === op || value.includes(o))
                    : value.filter((o) => o !== op),
                )
              }
            />
            {WORDS[op]}
          </label>
        ))}
      </div>
      <FieldDescription id="new-key-ops-hint">
        All that the type can do, as the HSM would allow; untick what the key will not do.
      </FieldDescription>
      <FieldError id="new-key-ops-error">{error}</FieldError>
    </FieldSet>
  );
}
