import type { Kysely } from "kysely";

/*
 * Backup freshness: an index that finds each HSM's last good backup without reading its whole
 * history, and the alert state of each HSM — whether the portal last told the webhook that its
 * backups were stale or fresh again — so each crossing of the threshold is alerted once, by
 * whichever portal instance sees it first. Numbered 0015: 0014 belongs to another branch.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("backup_run_last_good")
    .on("backup_run")
    .columns(["hsm", "state", "finished_at"])
    .execute();
  await db.schema
    .createTable("backup_freshness_alert")
    .addColumn("hsm", "text", (col) => col.primaryKey())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("last_good_at", "bigint")
    .addColumn("changed_at", "bigint", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("backup_freshness_alert").execute();
  await db.schema.dropIndex("backup_run_last_good").execute();
}
