import "server-only";

import { createHash } from "node:crypto";
import { z } from "zod";

import { calendarEvents, type CalendarEvent, type CalendarKey } from "@/lib/calendar/events";
import type { Db } from "@/lib/db/client";
import type { ReminderDeliveryTable } from "@/lib/db/schema/calendar/table";
import type { NotificationTable } from "@/lib/db/schema/notify/table";
import {
  enqueueNotifications,
  recentNotifications,
  type NewNotification,
} from "@/lib/notify/outbox";

/*
 * Reminders the portal sends itself, because Managed HSM cannot: each reminder that has come due
 * in the last day is queued in the notification outbox under its reminder id (so it is queued
 * once however many runs find it due), and the delivery job (lib/notify) posts it to the
 * reminder webhook as JSON, signed when a secret is set: retried with backoff until it is a day
 * old, every attempt recorded, never sent twice and never lost without a trace.
 */

const DAY_MS = 86_400_000;
export const REMINDER_KIND = "keyward.reminder";

export interface ReminderPayload {
  type: typeof REMINDER_KIND;
  reminderId: string;
  hsm: string;
  key: string;
  event: "rotation" | "expiry";
  eventAt: string;
  daysBefore: number;
  message: string;
  url: string;
}

const reminderId = (event: CalendarEvent) =>
  createHash("sha256").update(event.id).digest("hex").slice(0, 32);

/** The due reminders as notifications; their day of retries counts from when each came due. */
function reminderNotifications(
  due: readonly CalendarEvent[],
  portalUrl: string,
): NewNotification[] {
  return due.flatMap((reminder) => {
    const about = reminder.about;
    if (!about) return [];
    const id = reminderId(reminder);
    const payload: ReminderPayload = {
      type: REMINDER_KIND,
      reminderId: id,
      hsm: reminder.hsm,
      key: reminder.name,
      event: about.kind,
      eventAt: new Date(about.at).toISOString(),
      daysBefore: about.daysBefore,
      message: `${reminder.title} (${reminder.hsm}).`,
      url: `${portalUrl}/keys/${encodeURIComponent(reminder.hsm)}/${encodeURIComponent(reminder.name)}`,
    };
    return [{ id, kind: REMINDER_KIND, payload, target: "reminder" as const, at: reminder.at }];
  });
}

export interface QueueOutcome {
  /** Reminders due in the last day. */
  due: number;
  /** Of those, the ones queued by this run (the others were queued before). */
  queued: number;
}

/** Queues the reminders that came due in the last day and were not queued yet. */
export async function enqueueDueReminders(
  db: Db,
  keys: readonly CalendarKey[],
  options: { reminderDays: readonly number[]; portalUrl: string; now?: number },
): Promise<QueueOutcome> {
  const now = options.now ?? Date.now();
  const due = calendarEvents(
    keys,
    { from: now - DAY_MS, to: now + 1 },
    options.reminderDays,
    new Set(["reminder"]),
  );
  const queued = await enqueueNotifications(db, reminderNotifications(due, options.portalUrl), now);
  return { due: due.length, queued };
}

const storedPayload = z.object({
  hsm: z.string(),
  key: z.string(),
  event: z.enum(["rotation", "expiry"]),
  eventAt: z.iso.datetime(),
  daysBefore: z.number(),
});

/** A reminder's delivery in the shape the calendar's delivery log shows. */
function toDelivery(row: NotificationTable): ReminderDeliveryTable {
  const payload = storedPayload.parse(JSON.parse(row.payload));
  return {
    id: row.id,
    hsm: payload.hsm,
    key_name: payload.key,
    event_kind: payload.event,
    event_at: Date.parse(payload.eventAt),
    days_before: payload.daysBefore,
    remind_at: row.created_at,
    // A pending reminder with attempts behind it failed its last one (it is retried).
    status: row.status === "sent" ? "sent" : "failed",
    attempts: row.attempts,
    last_status: row.last_status,
    last_error: row.last_error,
    sent_at: row.sent_at,
    updated_at: row.updated_at,
  };
}

/** The latest reminders posted or tried, most recent first (those not tried yet are left out). */
export async function recentDeliveries(db: Db, limit = 20): Promise<ReminderDeliveryTable[]> {
  const rows = await recentNotifications(db, { kind: REMINDER_KIND, limit, attempted: true });
  return rows.map(toDelivery);
}
