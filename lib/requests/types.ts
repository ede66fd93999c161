import type { RequestKind } from "@/lib/requests/kind-names";
import type { ApprovalPolicy } from "@/lib/requests/policy";
import type { ItemState, RequestState } from "@/lib/requests/state-machine";
import type { TargetState } from "@/lib/requests/target-state";

/* Change requests as the service hands them to routes and pages. Times are epoch ms. */

export interface RequestPerson {
  id: string;
  name: string;
}

export interface RequestDecision {
  approver: RequestPerson;
  decision: "approve" | "reject";
  comment: string | null;
  acknowledgement: { reason: string; findings: string[] } | null;
  at: number;
}

export interface RequestItem {
  position: number;
  /** What the item acts on: `{ key }`, `{ scope, name }`, `{ name }`, `{ kind }`. */
  target: Record<string, string>;
  /** The change as filed (an imported key's private members are never here). */
  change: Record<string, unknown>;
  before: TargetState | null;
  after: unknown;
  state: ItemState;
  attempts: number;
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface RequestEventView {
  at: number;
  actor: string;
  what: string;
  detail: Record<string, unknown>;
}

export interface RequestSummary {
  id: string;
  kind: RequestKind;
  hsm: string | null;
  state: RequestState;
  summary: string;
  justification: string;
  requester: RequestPerson;
  itemCount: number;
  approvalsRequired: number;
  approvals: number;
  filedAt: number;
  expiresAt: number;
  decidedAt: number | null;
  finishedAt: number | null;
  outcome: string | null;
}

export interface RequestDetail extends RequestSummary {
  /** The owner groups of the keys it touches: their members see it too. */
  ownerGroups: string[];
  policy: ApprovalPolicy;
  decisions: RequestDecision[];
  items: RequestItem[];
  timeline: RequestEventView[];
}
