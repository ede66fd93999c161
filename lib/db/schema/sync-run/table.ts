/**
 * One sync of one HSM (or one key): when, why, and what it cost. Kept as history; a run that
 * dies with its process stays "running" until the next run of that HSM marks it abandoned.
 */
export interface SyncRunTable {
  id: string;
  hsm: string;
  kind: "full" | "incremental" | "key";
  trigger: "schedule" | "manual" | "change" | "startup" | "backup";
  key_name: string | null;
  /** Object id of the person who asked for it, for manual runs. */
  requested_by: string | null;
  started_at: number;
  finished_at: number | null;
  status: "running" | "succeeded" | "partial" | "failed" | "abandoned";
  calls: number;
  throttled: number;
  retries: number;
  failures: number;
  keys_listed: number;
  keys_refreshed: number;
  keys_removed: number;
  error: string | null;
}
