import "server-only";

import { getDb, type Db } from "@/lib/db/client";
import { withLease, type LeaseOutcome } from "@/lib/db/lease";
import { getEnv, type Env } from "@/lib/env";
import { getLogger } from "@/lib/log/logger";
import {
  deliverDueNotifications,
  type DeliveryOptions,
  type DeliveryReport,
  type Webhooks,
} from "@/lib/notify/deliver";
import type { RequestNotify } from "@/lib/notify/request-event";

/*
 * The delivery job as a job of the portal: run by the scheduler every minute, and kicked right
 * after this process queues a notification. It runs under a lease, so one portal instance posts
 * at a time; runs in this process are serialised (a kick during a run asks for one more run).
 * When a notification waits for a retry, a timer kicks the job when it is due, so retries do not
 * depend on the scheduler's minute (or on scheduled sync being on at all).
 */

const LEASE = "notify:deliver";
const LEASE_TTL_MS = 2 * 60_000;
/** When another instance holds the lease, look again shortly (it may have missed our row). */
const BUSY_RETRY_MS = 5_000;

/** The webhooks configured, with the secret that signs each (the reminders' is optional). */
export function configuredWebhooks(env: Env = getEnv()): Webhooks {
  return {
    ...(env.reminders.webhookUrl
      ? { reminder: { url: env.reminders.webhookUrl, secret: env.reminders.webhookSecret } }
      : {}),
    ...(env.notify ? { notify: { url: env.notify.webhookUrl, secret: env.notify.secret } } : {}),
  };
}

/** What lib/requests needs to queue its events; undefined when no notification webhook is set. */
export function requestNotify(env: Env = getEnv()): RequestNotify | undefined {
  return env.notify ? { publicUrl: env.publicUrl } : undefined;
}

let running: Promise<void> | null = null;
let again = false;
let timer: NodeJS.Timeout | undefined;

function wakeAt(at: number | null): void {
  clearTimeout(timer);
  timer = undefined;
  if (at === null) return;
  timer = setTimeout(() => void kickNotifications(), Math.max(0, at - Date.now()) + 50);
  timer.unref();
}

/** One delivery run under the lease; `acquired: false` when another instance is delivering. */
export async function deliverUnderLease(
  db: Db,
  webhooks: Webhooks,
  options: Omit<DeliveryOptions, "signal"> = {},
): Promise<LeaseOutcome<DeliveryReport>> {
  return withLease(
    LEASE,
    LEASE_TTL_MS,
    (signal) => deliverDueNotifications(db, webhooks, { ...options, signal }),
    { db },
  );
}

async function runOnce(): Promise<DeliveryReport | null> {
  const webhooks = configuredWebhooks();
  if (Object.keys(webhooks).length === 0) return null;
  const outcome = await deliverUnderLease(await getDb(), webhooks);
  if (!outcome.acquired) {
    wakeAt(Date.now() + BUSY_RETRY_MS);
    return null;
  }
  wakeAt(outcome.value.nextDueAt);
  return outcome.value;
}

/**
 * Runs the delivery job now (or once more after the current run). Resolves when this process's
 * runs are done; it never rejects (a failure is logged, and the next run retries).
 */
export function kickNotifications(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        const report = await runOnce();
        if (report && report.sent + report.retrying + report.failed > 0)
          getLogger().info(
            { sent: report.sent, retrying: report.retrying, failed: report.failed },
            "webhook notifications delivered",
          );
      } while (again);
    } catch (error) {
      getLogger().warn({ err: error }, "webhook delivery failed; it is retried at the next run");
    } finally {
      running = null;
    }
  })();
  return running;
}
