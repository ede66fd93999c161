/* Access reviews (migration 0019). Times are epoch milliseconds. */

export interface AccessReviewTable {
  id: string;
  hsm: string;
  /** The HSM while the review is open, null after: one open review per HSM. */
  open_hsm: string | null;
  /** lib/access-reviews/rules.ts: open | completed | cancelled. */
  state: string;
  /** Why the review was started (its scope, the audit it serves); may be empty. */
  note: string;
  started_by: string;
  started_by_name: string;
  started_at: number;
  /** When the mirror the items were copied from was last synced; null if never. */
  mirror_synced_at: number | null;
  item_count: number;
  /** Items not yet decided. */
  pending: number;
  /** When it was completed (its last decision) or cancelled. */
  ended_at: number | null;
  ended_by: string | null;
  ended_by_name: string | null;
  cancel_reason: string | null;
}

/** One role assignment under review, as the mirror held it when the review started. */
export interface AccessReviewItemTable {
  review_id: string;
  /** The role assignment's name (a GUID). */
  assignment: string;
  position: number;
  scope: string;
  role_definition_id: string;
  role_name: string;
  principal_id: string;
  principal_name: string;
  /** user | group | servicePrincipal | unknown */
  principal_type: string;
  /** pending | confirmed | flagged */
  decision: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  comment: string | null;
  /** The role-assignment.delete request a flag filed. */
  request_id: string | null;
  /** 1 when the flagged assignment was already gone from the HSM, so no request was needed. */
  already_removed: number;
}
