import type { Kysely } from "kysely";

/*
 * One outbox for everything Keyward posts to a webhook (reminders, change-request events): a
 * notification is written in the transaction of what it tells about and sent afterwards, and
 * every attempt to send it is kept. Reminders already posted move over with the same id, so
 * none is posted again; reminders whose posting had failed are not moved: the reminder job
 * queues them again while they are less than a day old. reminder_delivery stays as history;
 * nothing writes it any more.
 */

/** The columns of reminder_delivery this migration reads, as migration 0005 made them. */
interface ReminderDeliveryRow {
  id: string;
  hsm: string;
  key_name: string;
  event_kind: string;
  event_at: number;
  days_before: number;
  remind_at: number;
  status: string;
  attempts: number;
  last_status: number | null;
  sent_at: number | null;
  updated_at: number;
}

interface NotificationRow {
  id: string;
  kind: string;
  target: string;
  payload: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: number | null;
  created_at: number;
  sent_at: number | null;
  updated_at: number;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("notification")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("target", "text", (col) => col.notNull())
    .addColumn("payload", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull())
    .addColumn("last_status", "integer")
    .addColumn("last_error", "text")
    .addColumn("next_attempt_at", "bigint")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("sent_at", "bigint")
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("notification_due")
    .on("notification")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("notification_kind_updated")
    .on("notification")
    .columns(["kind", "updated_at"])
    .execute();

  await db.schema
    .createTable("notification_attempt")
    .addColumn("notification_id", "text", (col) => col.notNull())
    .addColumn("n", "integer", (col) => col.notNull())
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("status", "integer")
    .addColumn("error", "text")
    .addColumn("duration_ms", "integer", (col) => col.notNull())
    .addPrimaryKeyConstraint("notification_attempt_pk", ["notification_id", "n"])
    .execute();

  const tables = db as unknown as Kysely<{
    reminder_delivery: ReminderDeliveryRow;
    notification: NotificationRow;
  }>;
  const sent = await tables
    .selectFrom("reminder_delivery")
    .selectAll()
    .where("status", "=", "sent")
    .execute();
  for (let i = 0; i < sent.length; i += 100)
    await tables
      .insertInto("notification")
      .values(
        sent.slice(i, i + 100).map((row) => ({
          id: row.id,
          kind: "keyward.reminder",
          target: "reminder",
          // What was posted, less the message and link (their words were not kept).
          payload: JSON.stringify({
            type: "keyward.reminder",
            reminderId: row.id,
            hsm: row.hsm,
            key: row.key_name,
            event: row.event_kind,
            eventAt: new Date(row.event_at).toISOString(),
            daysBefore: row.days_before,
          }),
          status: "sent",
          attempts: row.attempts,
          last_status: row.last_status,
          last_error: null,
          next_attempt_at: null,
          created_at: row.remind_at,
          sent_at: row.sent_at,
          updated_at: row.updated_at,
        })),
      )
      .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("notification_attempt").execute();
  await db.schema.dropTable("notification").execute();
}
