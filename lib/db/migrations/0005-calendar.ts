import type { Kysely } from "kysely";

/*
 * The rotation calendar's own data: personal iCalendar feeds (the token only as its SHA-256,
 * with the owner's roles and groups at creation, revocable) and the reminders the portal has
 * posted to the webhook, one row per reminder, with every attempt's outcome.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("calendar_feed")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("owner_oid", "text", (col) => col.notNull())
    .addColumn("owner_name", "text", (col) => col.notNull())
    .addColumn("roles", "text", (col) => col.notNull())
    .addColumn("groups", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("last_used_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema
    .createIndex("calendar_feed_owner")
    .on("calendar_feed")
    .column("owner_oid")
    .execute();

  await db.schema
    .createTable("reminder_delivery")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("key_name", "text", (col) => col.notNull())
    .addColumn("event_kind", "text", (col) => col.notNull())
    .addColumn("event_at", "bigint", (col) => col.notNull())
    .addColumn("days_before", "integer", (col) => col.notNull())
    .addColumn("remind_at", "bigint", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull())
    .addColumn("last_status", "integer")
    .addColumn("last_error", "text")
    .addColumn("sent_at", "bigint")
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("reminder_delivery_remind_at")
    .on("reminder_delivery")
    .column("remind_at")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("reminder_delivery").execute();
  await db.schema.dropTable("calendar_feed").execute();
}
