import type { Principal, PrincipalKind } from "@/lib/access/model";

/*
 * The rules of an access review, pure: which assignments a review holds, who may decide an item,
 * what a decision needs, and the words a flag's change request is filed with. The service
 * (lib/access-reviews/service.ts) reads and writes; it asks these functions what is allowed.
 */

export const REVIEW_STATES = ["open", "completed", "cancelled"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const ITEM_DECISIONS = ["pending", "confirmed", "flagged"] as const;
export type ItemDecision = (typeof ITEM_DECISIONS)[number];

/** What a reviewer says about one assignment. */
export type ReviewVerdict = "confirm" | "flag";

export const MIN_FLAG_REASON = 10;

export interface ReviewItemSnapshot {
  assignment: string;
  position: number;
  scope: string;
  roleDefinitionId: string;
  roleName: string;
  principalId: string;
  principalName: string;
  principalType: PrincipalKind;
}

/**
 * The items of a review of one HSM: every role assignment the mirror holds for it, HSM-wide
 * scopes first, then by key, role and principal, so reviewers read related grants together.
 */
export function reviewItems(
  assignments: readonly {
    name: string;
    scope: string;
    roleDefinitionId: string;
    principalId: string;
  }[],
  roleName: (roleDefinitionId: string) => string,
  principal: (principalId: string) => Principal,
): ReviewItemSnapshot[] {
  const scopeRank = (scope: string) => (scope === "/" ? 0 : scope === "/keys" ? 1 : 2);
  return assignments
    .map((assignment) => {
      const who = principal(assignment.principalId);
      return {
        assignment: assignment.name,
        scope: assignment.scope,
        roleDefinitionId: assignment.roleDefinitionId,
        roleName: roleName(assignment.roleDefinitionId),
        principalId: assignment.principalId,
        principalName:
          who.status === "missing"
            ? `Deleted principal ${who.id}`
            : (who.displayName ?? assignment.principalId),
        principalType: who.kind,
      };
    })
    .sort(
      (a, b) =>
        scopeRank(a.scope) - scopeRank(b.scope) ||
        a.scope.localeCompare(b.scope) ||
        a.roleName.localeCompare(b.roleName) ||
        a.principalName.localeCompare(b.principalName) ||
        a.assignment.localeCompare(b.assignment),
    )
    .map((item, position) => ({ ...item, position }));
}

export interface Refusal {
  code: "conflict" | "forbidden" | "validation_failed";
  reason: string;
}

export interface DecisionFacts {
  review: { id: string; state: ReviewState };
  item: {
    assignment: string;
    principalId: string;
    principalName: string;
    decision: ItemDecision;
    decidedByName: string | null;
  };
  reviewer: { id: string; groups: ReadonlySet<string> };
  verdict: ReviewVerdict;
  comment: string;
}

/** True when the assignment gives the reviewer access, directly or through a group they are in. */
export function isOwnAccess(
  reviewer: { id: string; groups: ReadonlySet<string> },
  principalId: string,
): boolean {
  const principal = principalId.toLowerCase();
  return principal === reviewer.id.toLowerCase() || reviewer.groups.has(principal);
}

/**
 * Why a reviewer may not decide this item now, or null. A review is decided once per item; no
 * one reviews their own access, whether it is theirs directly or through a group they are in;
 * a flag says why (the reason goes to the change request the approvers read).
 */
export function decisionRefusal(facts: DecisionFacts): Refusal | null {
  const { review, item, reviewer } = facts;
  if (review.state !== "open")
    return { code: "conflict", reason: `The access review ${review.id} is ${review.state}.` };
  if (item.decision !== "pending")
    return {
      code: "conflict",
      reason: `The assignment ${item.assignment} was ${item.decision} already${item.decidedByName ? ` by ${item.decidedByName}` : ""}; its decision stands.`,
    };
  if (isOwnAccess(reviewer, item.principalId))
    return {
      code: "forbidden",
      reason: `This assignment gives you a role (${item.principalName}${item.principalId.toLowerCase() === reviewer.id.toLowerCase() ? "" : ", a group you are in"}): another reviewer decides on your own access.`,
    };
  if (facts.verdict === "flag" && facts.comment.trim().length < MIN_FLAG_REASON)
    return {
      code: "validation_failed",
      reason: `Say in at least ${MIN_FLAG_REASON} characters why the assignment should be removed.`,
    };
  return null;
}

/** Why a review cannot be cancelled, or null: only an open review can be. */
export function cancelRefusal(review: { id: string; state: ReviewState }): Refusal | null {
  return review.state === "open"
    ? null
    : { code: "conflict", reason: `The access review ${review.id} is ${review.state} already.` };
}

/** The justification of the role-assignment.delete request a flag files. */
export function removalJustification(
  review: { id: string; hsm: string; startedByName: string; startedAt: number },
  item: { roleName: string; principalName: string; scope: string },
  reason: string,
): string {
  const started = new Date(review.startedAt).toISOString().slice(0, 10);
  return `Flagged for removal in the access review of ${review.hsm} started ${started} by ${review.startedByName} (${review.id}): ${item.roleName} for ${item.principalName} at ${item.scope}. Reviewer's reason: ${reason.trim()}`;
}

export interface ReviewProgress {
  total: number;
  confirmed: number;
  flagged: number;
  pending: number;
}

export function progressOf(decisions: readonly ItemDecision[]): ReviewProgress {
  const count = (decision: ItemDecision) => decisions.filter((d) => d === decision).length;
  return {
    total: decisions.length,
    confirmed: count("confirmed"),
    flagged: count("flagged"),
    pending: count("pending"),
  };
}

export interface ReviewStanding<R> {
  hsm: string;
  /** The review completed last, if any. */
  lastCompleted: R | null;
  /** The review open now, if any. */
  open: R | null;
}

/** Per HSM, the review completed last and the one open now, for the assurance page. */
export function reviewStandings<
  R extends { hsm: string; state: ReviewState; endedAt: number | null },
>(reviews: readonly R[], hsms: readonly string[]): ReviewStanding<R>[] {
  return hsms.map((hsm) => {
    const mine = reviews.filter((review) => review.hsm === hsm);
    const completed = mine
      .filter((review) => review.state === "completed")
      .sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
    return {
      hsm,
      lastCompleted: completed[0] ?? null,
      open: mine.find((review) => review.state === "open") ?? null,
    };
  });
}
