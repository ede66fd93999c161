"use client";

import { useState } from "react";
import { CalendarClockIcon } from "lucide-react";

import type { RotationTerms } from "@/lib/rotation/policy";
import {
  draftFromPolicy,
  policyFromDraft,
  type PolicyDraft,
  type PolicyField,
  type Trigger,
} from "@/lib/rotation/policy-draft";
import { Field, FieldLabel } from "@/components/ui/field";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { ActionDialog } from "@/components/requests/action-dialog";
import { DurationField } from "@/components/requests/duration-field";
import { RequestForm } from "@/components/requests/request-form";

import { RotationPreview } from "./rotation-preview";

const TRIGGERS: [Trigger, string][] = [
  ["after-create", "A set time after each version is created"],
  ["before-expiry", "A set time before the current version expires"],
  ["none", "Never automatically"],
];

/** A server message about the policy belongs to its expiry or, otherwise, to its trigger. */
const fieldOfPath = (path: string): PolicyField | null =>
  path.startsWith("policy/expiresIn") ? "expiresIn" : path.startsWith("policy") ? "every" : null;

interface PolicyProps {
  hsm: string;
  keyName: string;
  policy: RotationTerms | null;
  current: { createdAt: number; expiresAt: number | null };
  now: number;
}

/** "Edit rotation policy": the policy typed as amounts and units, with a live preview. */
export function RotationPolicyDialog(props: PolicyProps) {
  return (
    <ActionDialog
      label={props.policy ? "Edit rotation policy" : "Set a rotation policy"}
      icon={<CalendarClockIcon aria-hidden />}
      title={`Rotation policy of ${props.keyName}`}
      description="Managed HSM rotates at most every 28 days, and new versions live at least 28 days."
      wide
    >
      <RotationPolicyForm {...props} />
    </ActionDialog>
  );
}

function RotationPolicyForm({ hsm, keyName, policy, current, now }: PolicyProps) {
  const [start] = useState(() => draftFromPolicy(policy));
  const [draft, setDraft] = useState<PolicyDraft>(start.draft);
  const result = policyFromDraft(draft, now);
  const set = (change: Partial<PolicyDraft>) => setDraft((d) => ({ ...d, ...change }));

  return (
    <RequestForm<PolicyField>
      id="rotation-policy"
      kind="key.rotation-policy"
      hsm={hsm}
      build={() => (result.policy ? { item: { key: keyName, policy: result.policy } } : result)}
      itemFieldOf={fieldOfPath}
      submitLabel="File the request"
    >
      {(errors) => (
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-4">
            <Field>
              <FieldLabel htmlFor="rotation-policy-trigger">Rotate</FieldLabel>
              <NativeSelect
                id="rotation-policy-trigger"
                value={draft.trigger}
                onChange={(event) => set({ trigger: event.target.value as Trigger })}
              >
                {TRIGGERS.map(([value, words]) => (
                  <NativeSelectOption key={value} value={value}>
                    {words}
                  </NativeSelectOption>
                ))}
              </NativeSelect>
            </Field>
            {draft.trigger !== "none" ? (
              <DurationField
                id="rotation-policy-every"
                label={
                  draft.trigger === "after-create" ? "Rotate after" : "Rotate before expiry by"
                }
                hint="28 days or more."
                amount={draft.every}
                unit={draft.everyUnit}
                error={result.errors?.every ?? errors.every}
                onChange={(every, everyUnit) => set({ every, everyUnit })}
              />
            ) : null}
            <DurationField
              id="rotation-policy-expires"
              label="New versions expire after"
              hint="Empty: new versions never expire. The current version keeps its expiry."
              amount={draft.expiresIn}
              unit={draft.expiresInUnit}
              error={result.errors?.expiresIn ?? errors.expiresIn}
              onChange={(expiresIn, expiresInUnit) => set({ expiresIn, expiresInUnit })}
            />
            {start.unshown.length > 0 ? (
              <p className="text-xs text-warning">
                The policy now holds {start.unshown.join(" and ")}, which this form cannot show in
                one unit; the values above are suggestions.
              </p>
            ) : null}
          </div>
          <section
            aria-label="Preview"
            aria-live="polite"
            className="rounded-md border bg-muted/40 p-3 text-sm"
          >
            <h3 className="mb-2 font-medium">Preview</h3>
            <RotationPreview policy={result.policy} current={current} now={now} />
          </section>
        </div>
      )}
    </RequestForm>
  );
}
