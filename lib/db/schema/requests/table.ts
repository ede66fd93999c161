/* Change requests (migration 0010). JSON columns are text, parsed with zod in lib/requests. */

export interface ChangeRequestTable {
  id: string;
  kind: string;
  /** Null for portal-wide kinds (an approval policy). */
  hsm: string | null;
  state: string;
  justification: string;
  requester_id: string;
  requester_name: string;
  /** JSON: the owner groups of the keys it touches, so requesters see their groups' requests. */
  owner_groups: string;
  /** JSON: the approval policy as it stood at filing. */
  policy: string;
  approvals_required: number;
  /** Approvals given so far (kept with the decisions, in their transaction). */
  approvals: number;
  item_count: number;
  /** One line in words, for lists. */
  summary: string;
  idempotency_key: string;
  filed_at: number;
  expires_at: number;
  updated_at: number;
  decided_at: number | null;
  finished_at: number | null;
  /** How execution ended, in words (counts of items executed, failed, stale). */
  outcome: string | null;
}

export interface ChangeRequestItemTable {
  request_id: string;
  position: number;
  target: string;
  change: string;
  /** An imported key's private members, sealed; removed once the request is settled. */
  sealed_secret: string | null;
  /** JSON: the target's relevant state at filing (null: it did not exist). */
  before: string | null;
  before_hash: string;
  state: string;
  attempts: number;
  /** JSON: what the HSM holds after execution. */
  result: string | null;
  error: string | null;
  started_at: number | null;
  /** An executing item belongs to its executor until then; after it, another may resume it. */
  claimed_until: number | null;
  finished_at: number | null;
}

export interface ChangeRequestDecisionTable {
  request_id: string;
  approver_id: string;
  approver_name: string;
  decision: string;
  comment: string | null;
  /** JSON: the critical findings acknowledged and the reason, if any. */
  acknowledgement: string | null;
  at: number;
}

export interface ChangeRequestEventTable {
  request_id: string;
  n: number;
  at: number;
  actor_name: string;
  what: string;
  detail: string;
}

export interface ApprovalPolicyTable {
  kind: string;
  policy: string;
  updated_at: number;
  updated_by_request: string;
}
