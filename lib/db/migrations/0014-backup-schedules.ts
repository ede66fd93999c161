import type { Kysely } from "kysely";

/*
 * Backup schedules: per HSM, when its backups run (a cron expression read in an IANA time zone),
 * into which container, how the HSM reaches it, and how many backups are kept. Rows change only
 * through approved `backup-schedule.upsert` / `.delete` requests, which name themselves in
 * `updated_by_request`. The scheduler reads them; the runs themselves are in backup_run.
 * `slots_from` is the floor of the times the scheduler owes: the creation, moved up when the
 * cron, the zone or the pause changes (a paused week or an old expression owes nothing).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("backup_schedule")
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("cron", "text", (col) => col.notNull())
    .addColumn("time_zone", "text", (col) => col.notNull())
    .addColumn("container_url", "text", (col) => col.notNull())
    .addColumn("auth", "text", (col) => col.notNull())
    .addColumn("retention_keep_last", "integer")
    .addColumn("retention_max_age_days", "integer")
    .addColumn("paused", "integer", (col) => col.notNull())
    .addColumn("slots_from", "bigint", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("updated_by_request", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("backup_schedule_pk", ["hsm", "name"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("backup_schedule").execute();
}
