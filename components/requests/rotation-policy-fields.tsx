"use client";

import type { PolicyDraft, PolicyField, Trigger } from "@/lib/rotation/policy-draft";
import { Field, FieldLabel } from "@/components/ui/field";
import { NativeSelect, NativeSelectOptions } from "@/components/ui/native-select";

import { DurationField } from "./duration-field";

const TRIGGERS: [Trigger, string][] = [
  ["after-create", "A set time after each version is created"],
  ["before-expiry", "A set time before the current version expires"],
  ["none", "Never automatically"],
];

/** A server message about the policy belongs to its expiry or, otherwise, to its trigger. */
export const policyFieldOfPath = (path: string): PolicyField | null =>
  path.startsWith("policy/expiresIn") ? "expiresIn" : path.startsWith("policy") ? "every" : null;

/**
 * A rotation policy typed as amounts and units, as Azure's own portal asks: the trigger, its
 * duration, and how long new versions live. One key's editor and the bulk editor share it.
 */
export function RotationPolicyFields({
  id,
  draft,
  errors,
  onChange,
}: {
  id: string;
  draft: PolicyDraft;
  errors: Partial<Record<PolicyField, string>>;
  onChange: (change: Partial<PolicyDraft>) => void;
}) {
  return (
    <>
      <Field>
        <FieldLabel htmlFor={`${id}-trigger`}>Rotate</FieldLabel>
        <NativeSelect
          id={`${id}-trigger`}
          value={draft.trigger}
          onChange={(event) => onChange({ trigger: event.target.value as Trigger })}
        >
          <NativeSelectOptions options={TRIGGERS} />
        </NativeSelect>
      </Field>
      {draft.trigger !== "none" ? (
        <DurationField
          id={`${id}-every`}
          label={draft.trigger === "after-create" ? "Rotate after" : "Rotate before expiry by"}
          hint="28 days or more."
          amount={draft.every}
          unit={draft.everyUnit}
          error={errors.every}
          onChange={(every, everyUnit) => onChange({ every, everyUnit })}
        />
      ) : null}
      <DurationField
        id={`${id}-expires`}
        label="New versions expire after"
        hint="Empty: new versions never expire. The current version keeps its expiry."
        amount={draft.expiresIn}
        unit={draft.expiresInUnit}
        error={errors.expiresIn}
        onChange={(expiresIn, expiresInUnit) => onChange({ expiresIn, expiresInUnit })}
      />
    </>
  );
}
