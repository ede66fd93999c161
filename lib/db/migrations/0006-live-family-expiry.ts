import type { Kysely } from "kysely";

/*
 * "Keys of this type expiring in this window" is the inventory's most common filter. The index
 * on (family, expires_at) did not cover "live keys only", so the planner walked every live key in
 * the window and read each row for its type; with deleted_at first, the count reads the index
 * alone and the page reads only the rows it shows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("inventory_key_family_expiry").execute();
  await db.schema
    .createIndex("inventory_key_live_family_expiry")
    .on("inventory_key")
    .columns(["deleted_at", "family", "expires_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("inventory_key_live_family_expiry").execute();
  await db.schema
    .createIndex("inventory_key_family_expiry")
    .on("inventory_key")
    .columns(["family", "expires_at"])
    .execute();
}
