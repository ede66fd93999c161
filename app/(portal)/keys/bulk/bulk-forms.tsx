"use client";

import { useState } from "react";

import {
  bulkConfirmation,
  bulkPropertiesItems,
  splitRotatable,
  type BulkPropertiesDraft,
  type BulkPropertiesField,
  type SelectedKey,
} from "@/lib/requests/bulk-drafts";
import { fieldByMember } from "@/lib/requests/field-errors";
import { describePolicy } from "@/lib/rotation/policy";
import {
  draftFromPolicy,
  policyFromDraft,
  termsOfChange,
  type PolicyDraft,
  type PolicyField,
} from "@/lib/rotation/policy-draft";
import { Field, FieldLabel } from "@/components/ui/field";
import { NativeSelect, NativeSelectOptions } from "@/components/ui/native-select";
import { RequestForm } from "@/components/requests/request-form";
import {
  policyFieldOfPath,
  RotationPolicyFields,
} from "@/components/requests/rotation-policy-fields";
import { UtcDateField } from "@/components/requests/utc-date-field";

interface BulkProps {
  hsm: string;
  keys: readonly SelectedKey[];
}

const namesOf = (keys: readonly SelectedKey[]) => keys.map((key) => key.name);

/** The keys a bulk change files, listed on request (up to 500 names). */
export function BulkKeyList({ keys, label }: { keys: readonly SelectedKey[]; label: string }) {
  return (
    <details className="rounded-md border p-2 text-sm">
      <summary className="cursor-pointer font-medium">{label}</summary>
      <ul className="mt-2 max-h-40 overflow-y-auto font-mono text-xs [overflow-wrap:anywhere]">
        {keys.map((key) => (
          <li key={key.name}>{key.name}</li>
        ))}
      </ul>
    </details>
  );
}

const keysLabel = (count: number) => (count === 1 ? "1 key" : `${count} keys`);

/** One rotation policy for every selected key; each key's dates follow from its own versions. */
export function BulkRotationPolicyForm({ hsm, keys, now }: BulkProps & { now: number }) {
  const [draft, setDraft] = useState<PolicyDraft>(() => draftFromPolicy(null).draft);
  const result = policyFromDraft(draft, now);
  return (
    <RequestForm<PolicyField>
      id="bulk-rotation-policy"
      kind="key.rotation-policy"
      hsm={hsm}
      build={() =>
        result.policy
          ? { items: namesOf(keys).map((key) => ({ key, policy: result.policy })) }
          : result
      }
      itemFieldOf={policyFieldOfPath}
      submitLabel={`File the request for ${keysLabel(keys.length)}`}
    >
      {(errors) => (
        <>
          <RotationPolicyFields
            id="bulk-rotation-policy"
            draft={draft}
            errors={{ ...errors, ...result.errors }}
            onChange={(change) => setDraft((d) => ({ ...d, ...change }))}
          />
          <p aria-live="polite" className="rounded-md border bg-muted/40 p-3 text-sm">
            {result.policy
              ? `${describePolicy(termsOfChange(result.policy))} Each key's next rotation is counted from its own current version; the policy replaces the one each key has now.`
              : "The summary shows once every value is one Managed HSM accepts."}
          </p>
          <BulkKeyList keys={keys} label={`The ${keysLabel(keys.length)} it sets`} />
        </>
      )}
    </RequestForm>
  );
}

const ENABLED: [BulkPropertiesDraft["enabled"], string][] = [
  ["keep", "Leave as each key has it"],
  ["enable", "Enable every key"],
  ["disable", "Disable every key"],
];
const EXPIRY: [BulkPropertiesDraft["expiry"], string][] = [
  ["keep", "Leave as each key has it"],
  ["set", "Expire at one date"],
  ["never", "Never expire"],
];

const propertiesFieldOf = fieldByMember<BulkPropertiesField>({
  enabled: "enabled",
  expiresOn: "expires",
});

/** Enabled and expiry, the same for every selected key; what is left as is stays each key's. */
export function BulkPropertiesForm({ hsm, keys, now }: BulkProps & { now: number }) {
  const [draft, setDraft] = useState<BulkPropertiesDraft>({
    enabled: "keep",
    expiry: "keep",
    expires: "",
  });
  const set = (change: Partial<BulkPropertiesDraft>) => setDraft((d) => ({ ...d, ...change }));
  return (
    <RequestForm<BulkPropertiesField>
      id="bulk-properties"
      kind="key.update"
      hsm={hsm}
      build={() => bulkPropertiesItems(namesOf(keys), draft, now)}
      itemFieldOf={propertiesFieldOf}
      submitLabel={`File the request for ${keysLabel(keys.length)}`}
    >
      {(errors) => (
        <>
          <Field>
            <FieldLabel htmlFor="bulk-properties-enabled">Enabled</FieldLabel>
            <NativeSelect
              id="bulk-properties-enabled"
              value={draft.enabled}
              aria-invalid={errors.enabled ? true : undefined}
              onChange={(event) =>
                set({ enabled: event.target.value as BulkPropertiesDraft["enabled"] })
              }
            >
              <NativeSelectOptions options={ENABLED} />
            </NativeSelect>
          </Field>
          <Field>
            <FieldLabel htmlFor="bulk-properties-expiry">Expiry</FieldLabel>
            <NativeSelect
              id="bulk-properties-expiry"
              value={draft.expiry}
              onChange={(event) =>
                set({ expiry: event.target.value as BulkPropertiesDraft["expiry"] })
              }
            >
              <NativeSelectOptions options={EXPIRY} />
            </NativeSelect>
          </Field>
          {draft.expiry === "set" ? (
            <UtcDateField
              id="bulk-properties-expires"
              label="Expires (UTC)"
              value={draft.expires}
              empty="Choose a date and time"
              error={errors.expires}
              onChange={(expires) => set({ expires })}
            />
          ) : null}
          <BulkKeyList keys={keys} label={`The ${keysLabel(keys.length)} it changes`} />
        </>
      )}
    </RequestForm>
  );
}

/** Rotate now: the keys without a rotation policy are left out and named. */
export function BulkRotateForm({ hsm, keys }: BulkProps) {
  const { rotatable, skipped } = splitRotatable(keys);
  return (
    <div className="flex flex-col gap-3">
      {skipped.length > 0 ? (
        <div className="flex flex-col gap-2 text-sm text-warning">
          <p>
            {keysLabel(skipped.length)} of the selection {skipped.length === 1 ? "has" : "have"} no
            rotation policy, which Managed HSM needs to rotate on demand, and{" "}
            {skipped.length === 1 ? "is" : "are"} left out.
          </p>
          <BulkKeyList keys={skipped} label={`The ${keysLabel(skipped.length)} left out`} />
        </div>
      ) : null}
      {rotatable.length === 0 ? (
        <p className="text-sm">Set a rotation policy on these keys first.</p>
      ) : (
        <RequestForm<never>
          id="bulk-rotate"
          kind="key.rotate"
          hsm={hsm}
          build={() => ({ items: namesOf(rotatable).map((key) => ({ key })) })}
          itemFieldOf={() => null}
          submitLabel={`File the request for ${keysLabel(rotatable.length)}`}
        >
          {() => (
            <BulkKeyList keys={rotatable} label={`The ${keysLabel(rotatable.length)} it rotates`} />
          )}
        </RequestForm>
      )}
    </div>
  );
}

/** Soft delete, after the count is typed: "delete 12 keys". */
export function BulkDeleteForm({ hsm, keys }: BulkProps) {
  return (
    <RequestForm<never>
      id="bulk-delete"
      kind="key.delete"
      hsm={hsm}
      build={() => ({ items: namesOf(keys).map((key) => ({ key })) })}
      itemFieldOf={() => null}
      confirmName={bulkConfirmation("delete", keys.length)}
      destructive
      submitLabel={`File the request for ${keysLabel(keys.length)}`}
    >
      {() => <BulkKeyList keys={keys} label={`The ${keysLabel(keys.length)} it deletes`} />}
    </RequestForm>
  );
}
