/* Out-of-band changes (migration 0018). Times are epoch milliseconds; JSON columns are text. */

export interface OutOfBandChangeTable {
  id: string;
  hsm: string;
  /** lib/out-of-band/rules.ts: key | assignment | role-definition | setting. */
  subject_kind: string;
  /** The key's name, the assignment's or custom role's GUID, the setting's name. */
  subject_name: string;
  /** The key it concerns (the key, or a key-scoped assignment's key), lower-case; null otherwise. */
  key_lower: string | null;
  /** What changed: created, deleted, rotated, attributes, tags, added, removed, … */
  what: string;
  /** JSON: what the mirror held before (null: the subject did not exist). */
  before: string | null;
  /** JSON: what the HSM holds now (null: the subject is gone). */
  after: string | null;
  /** The sync run that saw it. */
  sync_run_id: string | null;
  first_seen_at: number;
  /** open | explained */
  state: string;
  explained_by: string | null;
  explained_by_name: string | null;
  explained_at: number | null;
  reason: string | null;
}
