import "server-only";

import { calendarKeys } from "@/lib/calendar/load";
import { deliverDueReminders, type DeliveryOutcome } from "@/lib/calendar/reminders";
import { getDb } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import { getEnv } from "@/lib/env";

const LEASE_TTL_MS = 5 * 60_000;

/** Posts due reminders when a webhook is configured; one instance at a time. */
export async function runReminderJob(): Promise<DeliveryOutcome | null> {
  const env = getEnv();
  const webhookUrl = env.reminders.webhookUrl;
  if (!webhookUrl) return null;
  const db = await getDb();
  const outcome = await withLease("reminders:deliver", LEASE_TTL_MS, async () =>
    deliverDueReminders(db, await calendarKeys(db, { all: true }, {}), {
      webhookUrl,
      reminderDays: env.reminders.days,
      portalUrl: env.publicUrl,
    }),
  );
  return outcome.acquired ? outcome.value : null;
}
