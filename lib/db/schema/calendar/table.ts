/** A personal iCalendar feed. `roles` and `groups` are JSON arrays captured at creation. */
export interface CalendarFeedTable {
  id: string;
  token_hash: string;
  owner_oid: string;
  owner_name: string;
  /** Given by the owner when the feed is made; older feeds are named after their creation. */
  name: string;
  roles: string;
  groups: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** When the owner last signed in (epoch ms): each sign-in refreshes `roles` and `groups`. */
  owner_signed_in_at: number;
}

/**
 * One reminder posted (or being posted) to the webhook. Since migration 0011 nothing writes this
 * table (reminders go through the notification outbox; it keeps the earlier ones as history), and
 * the calendar's delivery log reads the outbox in this shape.
 */
export interface ReminderDeliveryTable {
  id: string;
  hsm: string;
  key_name: string;
  event_kind: "rotation" | "expiry";
  event_at: number;
  days_before: number;
  remind_at: number;
  status: "sent" | "failed";
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  sent_at: number | null;
  updated_at: number;
}
