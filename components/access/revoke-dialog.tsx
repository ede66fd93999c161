"use client";

import { UserMinusIcon } from "lucide-react";

import { approvalsNote, describeScope } from "@/lib/access/grant-draft";
import type { ApprovalPolicy } from "@/lib/requests/policy";
import { Fact, FactList } from "@/components/layout/fact-list";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";

import { WhatIfImpact } from "./what-if-impact";

/** The assignment to revoke, as the page names it. */
export interface RevokedAssignment {
  hsm: string;
  /** The assignment's name, a GUID: what the request names. */
  name: string;
  principal: string;
  roleName: string;
  scope: string;
}

/**
 * "Revoke" for one role assignment: files a `role-assignment.delete` request, showing the
 * separation-of-duties findings the removal would resolve or add (a last administrator…).
 */
export function RevokeDialog({
  assignment: a,
  policy,
}: {
  assignment: RevokedAssignment;
  /** The live approval policy of `role-assignment.delete`. */
  policy: ApprovalPolicy;
}) {
  return (
    <ActionDialog
      label="Revoke"
      buttonName={`Revoke ${a.roleName} from ${a.principal} on ${describeScope(a.scope)}`}
      icon={<UserMinusIcon aria-hidden />}
      title={`Revoke ${a.roleName}`}
      description={`${a.principal} loses this role on ${describeScope(a.scope)} of ${a.hsm} once the request is approved and executed. ${approvalsNote(policy, a.scope)}`}
      wide
    >
      <RequestForm<never>
        id="revoke"
        kind="role-assignment.delete"
        hsm={a.hsm}
        build={() => ({ item: { name: a.name } })}
        itemFieldOf={() => null}
        destructive
        submitLabel="File the request"
      >
        {() => (
          <>
            <FactList>
              <Fact term="Principal">{a.principal}</Fact>
              <Fact term="Role">{a.roleName}</Fact>
              <Fact term="Scope">
                {describeScope(a.scope)} <span className="font-mono text-xs">({a.scope})</span>
              </Fact>
              <Fact term="HSM">{a.hsm}</Fact>
              <Fact term="Assignment">
                <span className="font-mono text-xs break-all">{a.name}</span>
              </Fact>
            </FactList>
            <WhatIfImpact change={{ op: "remove", hsm: a.hsm, name: a.name }} waiting="" />
          </>
        )}
      </RequestForm>
    </ActionDialog>
  );
}
