import type { Kysely } from "kysely";

/*
 * Calendar feeds get a name from their owner, so that a list of feeds can be told apart. Feeds
 * made before have none: they are named after their creation time ("Feed created 2026-11-29
 * 00:46 UTC"), which differs between the feeds of one person. The empty default exists only
 * because SQLite cannot add a NOT NULL column without one; the portal always writes a name.
 */

/** The columns this migration reads and writes, as they are at this point of the schema. */
interface FeedTable {
  id: string;
  created_at: number;
  name: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("calendar_feed")
    .addColumn("name", "text", (col) => col.notNull().defaultTo(""))
    .execute();
  const feeds = db as unknown as Kysely<{ calendar_feed: FeedTable }>;
  const rows = await feeds.selectFrom("calendar_feed").select(["id", "created_at"]).execute();
  for (const row of rows) {
    const created = new Date(row.created_at).toISOString();
    await feeds
      .updateTable("calendar_feed")
      .set({ name: `Feed created ${created.slice(0, 10)} ${created.slice(11, 16)} UTC` })
      .where("id", "=", row.id)
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("calendar_feed").dropColumn("name").execute();
}
