/* Backups (migration 0013). JSON columns are text, parsed with zod in lib/backup. */

export type BackupTrigger = "manual" | "schedule" | "safety";
export type BackupRunState = "running" | "succeeded" | "failed" | "missed" | "interrupted";

/** One backup of one HSM, or a scheduled time it missed. Times are epoch milliseconds. */
export interface BackupRunTable {
  id: string;
  hsm: string;
  trigger: BackupTrigger;
  schedule_name: string | null;
  /** The schedule's time this run was for. */
  scheduled_for: number | null;
  /** JSON `{ type, id, name }` of the person (or application) who asked; null for schedules. */
  requested_by: string | null;
  state: BackupRunState;
  /** The container, without any SAS: the SAS is minted per run and never stored. */
  container_url: string;
  job_id: string | null;
  /** Where the operation is polled; kept so that a restarted portal can follow it to its end. */
  status_url: string | null;
  /** The folder as the service returned it, never computed. */
  folder_url: string | null;
  /** Why it failed, was interrupted or missed, in words. */
  error: string | null;
  /** Null for a missed run, which never started. */
  started_at: number | null;
  finished_at: number | null;
  /** When its catalogue was written; null when there is none (the run failed, or cataloguing did). */
  catalogued_at: number | null;
  /** When retention deleted its folder from the container. */
  folder_deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface BackupCatalogueKeyTable {
  run_id: string;
  hsm: string;
  name_lower: string;
  name: string;
  /** JSON `[{ version, createdOn, enabled, expiresOn }]`, newest first. */
  versions: string;
  /** JSON: the current version's attributes as the mirror held them. */
  attributes: string;
  /** JSON object. */
  tags: string;
}

export interface BackupCatalogueAccessTable {
  run_id: string;
  /** JSON `[{ name, scope, roleDefinitionId, principalId }]`. */
  role_assignments: string;
  /** JSON `[{ id, roleName, dataActions, notDataActions }]`. */
  custom_roles: string;
}

/** What the portal last told the webhook about an HSM's backups (migration 0015). */
export interface BackupFreshnessAlertTable {
  hsm: string;
  /** "stale": alerted as stale (or never backed up); "fresh": a good backup ended that since. */
  state: "stale" | "fresh";
  /** The last good backup the alert was about; null when there was none. */
  last_good_at: number | null;
  changed_at: number;
}
