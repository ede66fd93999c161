import "server-only";

import { createHash } from "node:crypto";

import { calendarEvents, type CalendarEvent, type CalendarKey } from "@/lib/calendar/events";
import type { Db } from "@/lib/db/client";
import type { ReminderDeliveryTable } from "@/lib/db/schema/calendar/table";

/*
 * Reminders the portal sends itself, because Managed HSM cannot: each reminder that has come due
 * in the last day is posted once to the configured webhook as JSON. A failed post is retried at
 * once with a short backoff, then again on later runs until it is a day old; every attempt's
 * outcome is recorded, so a reminder is never sent twice and never lost without a trace.
 */

const DAY_MS = 86_400_000;
const ATTEMPTS_PER_RUN = 3;
const BACKOFF_MS = [0, 1_000, 3_000];
const TIMEOUT_MS = 10_000;

export interface ReminderPayload {
  type: "keyward.reminder";
  reminderId: string;
  hsm: string;
  key: string;
  event: "rotation" | "expiry";
  eventAt: string;
  daysBefore: number;
  message: string;
  url: string;
}

export type Post = (url: string, body: string) => Promise<{ status: number }>;

const reminderId = (event: CalendarEvent) =>
  createHash("sha256").update(event.id).digest("hex").slice(0, 32);

export const postJson: Post = async (url, body) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Keyward reminders" },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await response.body?.cancel();
  return { status: response.status };
};

export interface DeliveryOutcome {
  due: number;
  sent: number;
  failed: number;
}

export async function deliverDueReminders(
  db: Db,
  keys: readonly CalendarKey[],
  options: {
    webhookUrl: string;
    reminderDays: readonly number[];
    portalUrl: string;
    now?: number;
    post?: Post;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<DeliveryOutcome> {
  const now = options.now ?? Date.now();
  const post = options.post ?? postJson;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const due = calendarEvents(
    keys,
    { from: now - DAY_MS, to: now + 1 },
    options.reminderDays,
    new Set(["reminder"]),
  );
  const known = new Map(
    (
      await db
        .selectFrom("reminder_delivery")
        .selectAll()
        .where("remind_at", ">=", now - DAY_MS)
        .execute()
    ).map((row) => [row.id, row]),
  );
  const outcome: DeliveryOutcome = { due: due.length, sent: 0, failed: 0 };
  for (const reminder of due) {
    const id = reminderId(reminder);
    if (known.get(id)?.status === "sent" || !reminder.about) continue;
    const about = reminder.about;
    const url = `${options.portalUrl}/keys/${encodeURIComponent(reminder.hsm)}/${encodeURIComponent(reminder.name)}`;
    const payload: ReminderPayload = {
      type: "keyward.reminder",
      reminderId: id,
      hsm: reminder.hsm,
      key: reminder.name,
      event: about.kind,
      eventAt: new Date(about.at).toISOString(),
      daysBefore: about.daysBefore,
      message: `${reminder.title} (${reminder.hsm}).`,
      url,
    };
    let attempts = known.get(id)?.attempts ?? 0;
    let lastStatus: number | null = null;
    let lastError: string | null = null;
    let sent = false;
    for (let attempt = 0; attempt < ATTEMPTS_PER_RUN && !sent; attempt += 1) {
      await sleep(BACKOFF_MS[attempt] ?? 0);
      attempts += 1;
      try {
        lastStatus = (await post(options.webhookUrl, JSON.stringify(payload))).status;
        sent = lastStatus >= 200 && lastStatus < 300;
        lastError = sent ? null : `the webhook answered ${lastStatus}`;
      } catch (error) {
        lastStatus = null;
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
    const row: ReminderDeliveryTable = {
      id,
      hsm: reminder.hsm,
      key_name: reminder.name,
      event_kind: about.kind,
      event_at: about.at,
      days_before: about.daysBefore,
      remind_at: reminder.at,
      status: sent ? "sent" : "failed",
      attempts,
      last_status: lastStatus,
      last_error: lastError,
      sent_at: sent ? now : null,
      updated_at: now,
    };
    const { id: _id, ...changes } = row;
    await db
      .insertInto("reminder_delivery")
      .values(row)
      .onConflict((oc) => oc.column("id").doUpdateSet(changes))
      .execute();
    if (sent) outcome.sent += 1;
    else outcome.failed += 1;
  }
  return outcome;
}

export async function recentDeliveries(db: Db, limit = 20): Promise<ReminderDeliveryTable[]> {
  return db
    .selectFrom("reminder_delivery")
    .selectAll()
    .orderBy("updated_at", "desc")
    .limit(limit)
    .execute();
}
