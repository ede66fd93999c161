import "server-only";

import type { Db } from "@/lib/db/client";
import type {
  NotificationAttemptTable,
  NotificationTable,
  WebhookName,
} from "@/lib/db/schema/notify/table";

/*
 * The outbox: a notification is queued in the transaction of the change it tells about, so it
 * commits with the change or not at all, and the delivery job (deliver.ts) posts it afterwards.
 * Queuing is idempotent by id: a second notification with the same id is dropped, so a caller
 * that may run twice (a reminder found due by every run) gives each notification a stable id.
 */

export interface NewNotification {
  /** Stable for the event: it is the Keyward-Event-Id receivers deduplicate by. */
  id: string;
  /** The payload's type: keyward.reminder, keyward.request.filed, … */
  kind: string;
  /** The JSON body, as posted. Never key material, tokens or secrets. */
  payload: object;
  /** The webhook it goes to; the change-request one unless said. */
  target?: WebhookName;
  /** When it happened (default: now); its day of retries counts from here. */
  at?: number;
}

/** Queues notifications (in the caller's transaction when given one); returns how many were new. */
export async function enqueueNotifications(
  db: Db,
  notifications: readonly NewNotification[],
  now = Date.now(),
): Promise<number> {
  let queued = 0;
  for (let i = 0; i < notifications.length; i += 100) {
    const result = await db
      .insertInto("notification")
      .values(
        notifications.slice(i, i + 100).map((n) => ({
          id: n.id,
          kind: n.kind,
          target: n.target ?? "notify",
          payload: JSON.stringify(n.payload),
          status: "pending" as const,
          attempts: 0,
          last_status: null,
          last_error: null,
          next_attempt_at: now,
          created_at: n.at ?? now,
          sent_at: null,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    queued += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return queued;
}

/**
 * Queues one notification inside the caller's transaction: it is sent only if that transaction
 * commits. False when a notification with its id was queued before.
 */
export async function enqueueNotification(
  trx: Db,
  notification: NewNotification,
  now = Date.now(),
): Promise<boolean> {
  return (await enqueueNotifications(trx, [notification], now)) === 1;
}

/** The latest notifications of a kind, most recently changed first; `attempted`: tried at least once. */
export async function recentNotifications(
  db: Db,
  { kind, limit = 20, attempted = false }: { kind: string; limit?: number; attempted?: boolean },
): Promise<NotificationTable[]> {
  return db
    .selectFrom("notification")
    .selectAll()
    .where("kind", "=", kind)
    .$if(attempted, (q) => q.where("attempts", ">", 0))
    .orderBy("updated_at", "desc")
    .limit(limit)
    .execute();
}

/** Every attempt to post a notification, first first. */
export async function notificationAttempts(
  db: Db,
  id: string,
): Promise<NotificationAttemptTable[]> {
  return db
    .selectFrom("notification_attempt")
    .selectAll()
    .where("notification_id", "=", id)
    .orderBy("n")
    .execute();
}
