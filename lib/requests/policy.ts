import { z } from "zod";

import { REQUEST_KIND_NAMES, type RequestKind } from "@/lib/requests/kind-names";
import { guid } from "@/lib/validation/primitives";

/*
 * Who must approve a change request, and whether one person may decide it now. Pure: the
 * service passes in the request, the person (their roles, groups and sign-in time) and the clock.
 */

export const approvalPolicy = z.strictObject({
  /** Distinct approvers needed. */
  approvals: z.number().int().min(1).max(5),
  /** For role assignments at "/" or "/keys" (they reach every key): at least this many. */
  hsmWideApprovals: z.number().int().min(1).max(5).optional(),
  /** Approvers must be members (directly or through nested groups) of this Entra group. */
  group: z
    .strictObject({
      // Lower case: the token's groups are compared in lower case.
      id: guid.toLowerCase(),
      name: z.string().max(200),
    })
    .nullable()
    .default(null),
  /** Hours a request waits for its approvals before it expires. */
  windowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});
export type ApprovalPolicy = z.output<typeof approvalPolicy>;

/** A `policy.update` item: the kind whose policy changes, and the new policy. */
export const policyUpdateItem = z.strictObject({
  kind: z.enum(REQUEST_KIND_NAMES),
  policy: approvalPolicy,
});

const one = { approvals: 1, group: null, windowHours: 72 } as const;
const two = { approvals: 2, group: null, windowHours: 72 } as const;

/** The built-in policy of each kind, used until a `policy.update` request replaces it. */
export const DEFAULT_POLICIES: Record<RequestKind, ApprovalPolicy> = {
  "key.create": one,
  "key.import": one,
  "key.update": one,
  "key.rotate": one,
  "key.rotation-policy": one,
  "key.delete": two,
  "key.recover": one,
  "key.purge": two,
  "role-assignment.create": { ...one, hsmWideApprovals: 2 },
  "role-assignment.delete": { ...one, hsmWideApprovals: 2 },
  "role-definition.upsert": two,
  "role-definition.delete": two,
  "setting.update": two,
  "policy.update": two,
  "template.upsert": two,
  "backup-schedule.upsert": one,
  "backup-schedule.delete": one,
  "restore.key": one,
  "restore.full": two,
};

/** Approvals a request needs: the policy's, or its HSM-wide count when any scope is "/" or "/keys". */
export function requiredApprovals(policy: ApprovalPolicy, scopes: readonly string[]): number {
  const hsmWide = scopes.some((scope) => scope === "/" || scope === "/keys");
  return hsmWide ? Math.max(policy.approvals, policy.hsmWideApprovals ?? 1) : policy.approvals;
}

/** How long an approver's sign-in stays fresh enough to decide. */
export const DECISION_SIGN_IN_MINUTES = 10;

export interface Decider {
  id: string;
  /** Holds `requests.approve`. */
  mayApprove: boolean;
  /** Every group the person is in, nested ones included. */
  groups: ReadonlySet<string>;
  /** When they last entered credentials (epoch ms), if known. */
  authTime: number | null;
}

export interface DecisionSubject {
  state: string;
  requesterId: string;
  policy: ApprovalPolicy;
  /** Who has decided already. */
  deciderIds: readonly string[];
}

export type Refusal = {
  code: "forbidden" | "conflict" | "reauthentication_required";
  reason: string;
};

/**
 * Whether this person may approve or reject this request now, or why not. The order matters:
 * a settled request is a conflict whoever asks; then who they are; their sign-in's age last, so
 * that nobody is sent through a fresh sign-in only to be refused.
 */
export function decisionRefusal(
  subject: DecisionSubject,
  decider: Decider,
  now: number,
): Refusal | null {
  if (subject.state !== "pending")
    return { code: "conflict", reason: `The request is ${subject.state}, no longer pending.` };
  if (!decider.mayApprove)
    return { code: "forbidden", reason: "Deciding a request needs the Approver role." };
  if (decider.id === subject.requesterId)
    return {
      code: "forbidden",
      reason: "You filed this request: someone else must approve or reject it.",
    };
  if (subject.deciderIds.includes(decider.id))
    return {
      code: "forbidden",
      reason: "You have decided this request already; another approver must add theirs.",
    };
  const group = subject.policy.group;
  if (group && !decider.groups.has(group.id))
    return {
      code: "forbidden",
      reason: `This kind of request is approved by members of the group ${group.name}, and you are not one.`,
    };
  const fresh =
    decider.authTime !== null && now - decider.authTime <= DECISION_SIGN_IN_MINUTES * 60_000;
  if (!fresh)
    return {
      code: "reauthentication_required",
      reason: `Deciding needs a sign-in from the last ${DECISION_SIGN_IN_MINUTES} minutes. Sign in again, then decide.`,
    };
  return null;
}
