/* Backup schedules (migration 0014). */

/** When an HSM's backups run and where they go. Times are epoch milliseconds. */
export interface BackupScheduleTable {
  hsm: string;
  /** Unique per HSM; the runs name it (backup_run.schedule_name). */
  name: string;
  /** Five fields: minute, hour, day of month, month, day of week. */
  cron: string;
  /** The IANA zone the cron expression is read in. */
  time_zone: string;
  /** The container, without any SAS. */
  container_url: string;
  auth: "sas" | "managed-identity";
  retention_keep_last: number | null;
  retention_max_age_days: number | null;
  /** 0/1. */
  paused: number;
  /** The floor of the times the scheduler owes: creation, or the last change of when it runs. */
  slots_from: number;
  created_at: number;
  updated_at: number;
  /** The change request that last wrote the row. */
  updated_by_request: string;
}
