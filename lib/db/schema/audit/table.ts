/**
 * One audit event: a link of the hash chain. `actor`, `target` and `detail` are JSON objects;
 * `actor_id` repeats the actor's id so that the log can be filtered by it through an index.
 */
export interface AuditEventTable {
  seq: number;
  at: number;
  actor: string;
  actor_id: string;
  action: string;
  target: string;
  outcome: string;
  detail: string;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

/** The chain's head: one row (id 1) that every append takes first, serialising appends. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** The last event's `at`: no event is timed before the one it follows. */
  at: number;
}

/** The outcome of each verification of the chain (the page's banner shows the latest). */
export interface AuditVerificationTable {
  id: string;
  at: number;
  ok: 0 | 1;
  events: number;
  head_seq: number;
  head_hash: string;
  checkpoints: number;
  last_checkpoint_at: number | null;
  problems: string;
  duration_ms: number;
}
