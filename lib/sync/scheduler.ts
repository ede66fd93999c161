import "server-only";

import { runReminderJob } from "@/lib/calendar/reminder-job";
import { getDb } from "@/lib/db/client";
import { refreshDirectoryIfDue } from "@/lib/directory/service";
import { getEnv } from "@/lib/env";
import { portalHsms } from "@/lib/hsm/connections";
import type { HsmHandle } from "@/lib/hsm/handle";
import { getLogger } from "@/lib/log/logger";
import { kickNotifications, requestNotify } from "@/lib/notify/job";
import { startSync, type SyncRequest } from "@/lib/sync/service";

/*
 * Keeps the mirror fresh: every minute, each HSM whose last attempt is older than the sync
 * interval gets an incremental sync, or a full one when it has never had one or the last is
 * older than KEYWARD_FULL_SYNC_HOURS. The lease in startSync makes sure that only one of several
 * portal instances syncs a given HSM at a time; a failed attempt waits for the next interval.
 * After the syncs, the directory cache is refreshed when due (new principals, or its age), due
 * reminders are queued when a reminder webhook is configured, and the notification delivery job
 * posts what is due in the outbox (reminders, change-request events).
 */

const TICK_MS = 60_000;
const HOUR_MS = 3_600_000;

async function dueSync(handle: HsmHandle, now: number): Promise<SyncRequest | null> {
  const { sync } = getEnv();
  const db = await getDb();
  const state = await db
    .selectFrom("inventory_hsm")
    .selectAll()
    .where("name", "=", handle.name)
    .executeTakeFirst();
  if (!state?.last_full_sync_at || now - state.last_full_sync_at >= sync.fullHours * HOUR_MS)
    return { kind: "full", trigger: state?.last_attempt_at ? "schedule" : "startup" };
  if (!state.last_attempt_at || now - state.last_attempt_at >= sync.intervalMinutes * 60_000)
    return { kind: "incremental", trigger: "schedule" };
  return null;
}

async function tick(): Promise<void> {
  const log = getLogger();
  const env = getEnv();
  await syncDueHsms(log, env);
  try {
    const refreshed = await refreshDirectoryIfDue(await getDb());
    if (refreshed) log.info(refreshed, "directory cache refreshed");
  } catch (error) {
    log.warn({ err: error }, "directory refresh failed; the views keep the cached names");
  }
  try {
    const reminders = await runReminderJob();
    if (reminders && reminders.queued > 0) log.info(reminders, "reminders queued");
  } catch (error) {
    log.warn({ err: error }, "queuing reminders failed; it is retried at the next run");
  }
  await kickNotifications();
}

async function syncDueHsms(log: ReturnType<typeof getLogger>, env: ReturnType<typeof getEnv>) {
  await Promise.all(
    portalHsms().map(async (handle) => {
      try {
        const request = await dueSync(handle, Date.now());
        if (!request) return;
        const stillDue = async () => (await dueSync(handle, Date.now())) !== null;
        const start = await startSync(
          await getDb(),
          handle,
          { ...request, stillDue },
          {
            concurrency: env.hsmConcurrency,
            notify: requestNotify(env),
          },
        );
        if (start.started) await start.done;
      } catch (error) {
        log.warn({ err: error, hsm: handle.name }, "scheduled sync could not start");
      }
    }),
  );
}

let running = false;

export function startSyncScheduler(): void {
  const env = getEnv();
  const log = getLogger();
  if (env.sync.intervalMinutes === 0) {
    log.info("scheduled sync is off (KEYWARD_SYNC_INTERVAL_MINUTES=0); sync runs on demand only");
    // Change-request notifications are still posted as they are queued; these are the ones left.
    void kickNotifications();
    return;
  }
  const guarded = async () => {
    if (running) return;
    running = true;
    try {
      await tick();
    } finally {
      running = false;
    }
  };
  void guarded();
  setInterval(() => void guarded(), TICK_MS).unref();
}
