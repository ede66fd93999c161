/* The webhook outbox (migration 0011). `payload` is the JSON body exactly as it is posted. */

/** The webhooks notifications go to, by the setting that names each one's URL. */
export type WebhookName = "reminder" | "notify";

export type NotificationStatus = "pending" | "sent" | "failed";

/** One notification to post: made in the transaction of what it tells about, sent afterwards. */
export interface NotificationTable {
  /** Also the Keyward-Event-Id header: receivers drop a second delivery of the same id. */
  id: string;
  /** The payload's `type`, e.g. keyward.reminder, keyward.request.filed. */
  kind: string;
  target: WebhookName;
  payload: string;
  status: NotificationStatus;
  attempts: number;
  /** The HTTP status of the last attempt; null when it got no answer. */
  last_status: number | null;
  last_error: string | null;
  /** When the next attempt is due (while pending; also how long a sender's claim lasts). */
  next_attempt_at: number | null;
  created_at: number;
  sent_at: number | null;
  updated_at: number;
}

/** Every attempt to post a notification, appended as it is made. */
export interface NotificationAttemptTable {
  notification_id: string;
  /** 1 for the first attempt. */
  n: number;
  at: number;
  /** The HTTP status; null when the webhook could not be reached or did not answer in time. */
  status: number | null;
  error: string | null;
  duration_ms: number;
}
