import "server-only";

import { calendarKeys } from "@/lib/calendar/load";
import { enqueueDueReminders, type QueueOutcome } from "@/lib/calendar/reminders";
import { getDb } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import { getEnv } from "@/lib/env";

const LEASE_TTL_MS = 5 * 60_000;

/**
 * Queues due reminders when a reminder webhook is configured; one instance at a time. The
 * notification delivery job (lib/notify/job.ts) posts them.
 */
export async function runReminderJob(): Promise<QueueOutcome | null> {
  const env = getEnv();
  if (!env.reminders.webhookUrl) return null;
  const db = await getDb();
  const outcome = await withLease("reminders:queue", LEASE_TTL_MS, async () =>
    enqueueDueReminders(db, await calendarKeys(db, { all: true }, {}), {
      reminderDays: env.reminders.days,
      portalUrl: env.publicUrl,
    }),
  );
  return outcome.acquired ? outcome.value : null;
}
