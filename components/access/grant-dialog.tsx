"use client";

import { useState } from "react";
import { UserPlusIcon } from "lucide-react";

import type { GrantChoices } from "@/lib/access/grant-choices";
import {
  approvalsNote,
  grantItem,
  grantItemFieldOf,
  scopeOf,
  type GrantDraft,
  type GrantField,
} from "@/lib/access/grant-draft";
import type { ApprovalPolicy } from "@/lib/requests/policy";
import { Field, FieldError, FieldLabel } from "@/components/ui/field";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";

import { PrincipalField, RoleField, ScopeField } from "./grant-fields";
import { WhatIfImpact } from "./what-if-impact";

interface GrantProps {
  choices: GrantChoices;
  /** The live approval policy of `role-assignment.create`. */
  policy: ApprovalPolicy;
  /** On a key's page: the HSM and the key are given. */
  fixed?: { hsm: string; keyName: string };
  /** The HSM chosen at first (the one the page is filtered on). */
  initialHsm?: string;
}

/**
 * "Grant access": files a `role-assignment.create` request, showing while it is filled in what
 * the grant would do to the separation-of-duties findings and how many approvals it needs.
 */
export function GrantDialog(props: GrantProps) {
  const { fixed } = props;
  return (
    <ActionDialog
      label={fixed ? "Grant access to this key" : "Grant access"}
      icon={<UserPlusIcon aria-hidden />}
      variant={fixed ? "outline" : "default"}
      size={fixed ? "sm" : "default"}
      title={fixed ? `Grant access to ${fixed.keyName}` : "Grant access"}
      description={
        fixed
          ? `A role on this key only (/keys/${fixed.keyName}) in ${fixed.hsm}. It is granted once the request is approved and executed.`
          : "A role on a whole HSM, on all its keys or on one key. It is granted once the request is approved and executed."
      }
      wide
    >
      <GrantForm {...props} />
    </ActionDialog>
  );
}

function GrantForm({ choices, policy, fixed, initialHsm }: GrantProps) {
  const [draft, setDraft] = useState<GrantDraft>(() => ({
    hsm:
      fixed?.hsm ??
      (choices.hsms.some((h) => h.name === initialHsm)
        ? initialHsm!
        : choices.hsms.length === 1
          ? choices.hsms[0]!.name
          : ""),
    // One key is the least a grant can reach: the form starts there.
    scope: "key",
    keyName: fixed?.keyName ?? "",
    roleDefinitionId: "",
    principalId: "",
  }));
  const set = (change: Partial<GrantDraft>) => setDraft((d) => ({ ...d, ...change }));
  const roles = choices.hsms.find((h) => h.name === draft.hsm)?.roles ?? [];
  const result = grantItem(draft);
  // With the HSM and the key given there are no fields for them: what is said of those is the form's.
  const shown = (field: GrantField | null) =>
    fixed && (field === "hsm" || field === "scope" || field === "key") ? null : field;

  function build() {
    const built = grantItem(draft);
    if (!fixed || !built.errors) return built;
    const { hsm, scope, key, ...errors } = built.errors;
    return { errors, form: hsm ?? scope ?? key };
  }

  return (
    <RequestForm<GrantField>
      id={fixed ? "grant-key" : "grant"}
      kind="role-assignment.create"
      hsm={draft.hsm}
      hsmField={shown("hsm") ?? undefined}
      build={build}
      itemFieldOf={(path) => shown(grantItemFieldOf(path, draft.scope))}
      submitLabel="File the request"
    >
      {(errors) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            {fixed ? null : (
              <>
                <Field>
                  <FieldLabel htmlFor="grant-hsm">HSM</FieldLabel>
                  <NativeSelect
                    id="grant-hsm"
                    value={draft.hsm}
                    aria-invalid={errors.hsm ? true : undefined}
                    aria-describedby="grant-hsm-error"
                    onChange={(event) => {
                      const hsm = event.target.value;
                      const kept = choices.hsms
                        .find((h) => h.name === hsm)
                        ?.roles.some((r) => r.id === draft.roleDefinitionId);
                      set({ hsm, roleDefinitionId: kept ? draft.roleDefinitionId : "" });
                    }}
                  >
                    <NativeSelectOption value="" disabled>
                      Choose…
                    </NativeSelectOption>
                    {choices.hsms.map((hsm) => (
                      <NativeSelectOption key={hsm.name} value={hsm.name}>
                        {hsm.name}
                      </NativeSelectOption>
                    ))}
                  </NativeSelect>
                  <FieldError id="grant-hsm-error">{errors.hsm}</FieldError>
                </Field>
                <ScopeField
                  id="grant"
                  scope={draft.scope}
                  keyName={draft.keyName}
                  errors={errors}
                  onChange={(scope, keyName) => set({ scope, keyName })}
                />
              </>
            )}
            <RoleField
              id={fixed ? "grant-key-role" : "grant-role"}
              value={draft.roleDefinitionId}
              roles={roles}
              error={errors.role}
              onChange={(roleDefinitionId) => set({ roleDefinitionId })}
            />
            <PrincipalField
              id={fixed ? "grant-key-principal" : "grant-principal"}
              value={draft.principalId}
              principals={choices.principals}
              error={errors.principal}
              onChange={(principalId) => set({ principalId })}
            />
          </div>
          <p className="text-sm">{approvalsNote(policy, scopeOf(draft.scope, draft.keyName))}</p>
          <WhatIfImpact
            change={result.item ? { op: "add", hsm: draft.hsm, ...result.item } : null}
            waiting={`The impact shows once ${fixed ? "the role and the principal are" : "the HSM, the scope, the role and the principal are"} chosen.`}
          />
        </>
      )}
    </RequestForm>
  );
}
