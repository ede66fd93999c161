import "server-only";

import type { Db } from "@/lib/db/client";
import { enqueueNotification } from "@/lib/notify/outbox";
import {
  requestEvent,
  type RequestEventName,
  type RequestNotify,
} from "@/lib/notify/request-event";
import { findRequestRow } from "@/lib/requests/store";

/**
 * Queues a request's event for the notification webhook, in the caller's transaction and as the
 * request stands in it, so the notification commits with the move it tells about or not at all.
 * Does nothing when notifications are off (`notify` absent).
 */
export async function queueRequestEvent(
  trx: Db,
  notify: RequestNotify | undefined,
  requestId: string,
  event: RequestEventName,
  at: number,
): Promise<void> {
  if (!notify) return;
  const row = await findRequestRow(trx, requestId);
  if (row) await enqueueNotification(trx, requestEvent(row, event, at, notify));
}
