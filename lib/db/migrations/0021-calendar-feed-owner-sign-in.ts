import { sql, type Kysely } from "kysely";

/*
 * When a feed's owner last signed in: each sign-in brings the owner's feeds up to their roles
 * and groups of that moment, and a feed whose owner has not signed in for a long time (left the
 * company, lost access in Entra) stops answering (lib/calendar/feeds.ts). Existing feeds count
 * from this migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("calendar_feed")
    .addColumn("owner_signed_in_at", "bigint", (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`update calendar_feed set owner_signed_in_at = ${Date.now()}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("calendar_feed").dropColumn("owner_signed_in_at").execute();
}
