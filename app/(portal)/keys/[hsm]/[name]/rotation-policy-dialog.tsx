"use client";

import { useState } from "react";
import { CalendarClockIcon } from "lucide-react";

import type { RotationTerms } from "@/lib/rotation/policy";
import {
  draftFromPolicy,
  policyFromDraft,
  type PolicyDraft,
  type PolicyField,
} from "@/lib/rotation/policy-draft";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";
import {
  policyFieldOfPath,
  RotationPolicyFields,
} from "@/components/requests/rotation-policy-fields";

import { RotationPreview } from "./rotation-preview";

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

  return (
    <RequestForm<PolicyField>
      id="rotation-policy"
      kind="key.rotation-policy"
      hsm={hsm}
      build={() => (result.policy ? { item: { key: keyName, policy: result.policy } } : result)}
      itemFieldOf={policyFieldOfPath}
      submitLabel="File the request"
    >
      {(errors) => (
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-4">
            <RotationPolicyFields
              id="rotation-policy"
              draft={draft}
              errors={{ ...errors, ...result.errors }}
              onChange={(change) => setDraft((d) => ({ ...d, ...change }))}
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
