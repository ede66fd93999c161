import type { Kysely } from "kysely";

/*
 * Out-of-band changes: what a sync found changed in an HSM that the portal did not do (lib/out-of-band).
 * Rows are written with their audit event in one transaction; a key admin may later mark one
 * explained with a reason. No foreign keys: a change outlives the key or assignment it was about.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("out_of_band_change")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("subject_kind", "text", (col) => col.notNull())
    .addColumn("subject_name", "text", (col) => col.notNull())
    .addColumn("key_lower", "text")
    .addColumn("what", "text", (col) => col.notNull())
    .addColumn("before", "text")
    .addColumn("after", "text")
    .addColumn("sync_run_id", "text")
    .addColumn("first_seen_at", "bigint", (col) => col.notNull())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("explained_by", "text")
    .addColumn("explained_by_name", "text")
    .addColumn("explained_at", "bigint")
    .addColumn("reason", "text")
    .execute();
  await db.schema
    .createIndex("out_of_band_change_list")
    .on("out_of_band_change")
    .columns(["state", "hsm", "first_seen_at"])
    .execute();
  await db.schema
    .createIndex("out_of_band_change_key")
    .on("out_of_band_change")
    .columns(["hsm", "key_lower", "state"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("out_of_band_change").execute();
}
