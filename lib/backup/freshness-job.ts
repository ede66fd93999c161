import "server-only";

import {
  alertBackupFreshness,
  type FreshnessAlertDeps,
  type FreshnessAlertPayload,
} from "@/lib/backup/freshness-alerts";
import { staleThresholdMs } from "@/lib/backup/freshness-store";
import { getDb } from "@/lib/db/client";
import { withLease, type LeaseOutcome } from "@/lib/db/lease";
import { configuredHsms } from "@/lib/hsm/targets";
import { getLogger } from "@/lib/log/logger";
import { kickNotifications, requestNotify } from "@/lib/notify/job";

/*
 * The freshness alert as a job of the portal: at start-up and every 10 minutes, under a lease so
 * one instance looks at a time (the guarded memory in freshness-alerts.ts keeps each alert once
 * even beyond it). Off when no notification webhook is set: the pages show freshness anyway.
 */

const LEASE = "backup:freshness";
const LEASE_TTL_MS = 2 * 60_000;
const INTERVAL_MS = 10 * 60_000;

/** One look under the lease; `acquired: false` when another instance is looking. */
export function alertUnderLease(
  deps: FreshnessAlertDeps,
): Promise<LeaseOutcome<FreshnessAlertPayload[]>> {
  return withLease(LEASE, LEASE_TTL_MS, () => alertBackupFreshness(deps), { db: deps.db });
}

async function checkFreshness(): Promise<void> {
  const notify = requestNotify();
  if (!notify) return;
  const outcome = await alertUnderLease({
    db: await getDb(),
    notify,
    hsms: configuredHsms().map((hsm) => hsm.name),
    thresholdMs: staleThresholdMs(),
    now: Date.now(),
  });
  if (outcome.acquired && outcome.value.length > 0) {
    getLogger().info(
      { alerts: outcome.value.map((alert) => ({ hsm: alert.hsm, type: alert.type })) },
      "backup freshness alerts queued",
    );
    void kickNotifications();
  }
}

const run = () =>
  void checkFreshness().catch((error: unknown) =>
    getLogger().warn({ err: error }, "the backup freshness check failed; it runs again later"),
  );

export function startFreshnessAlertJob(): void {
  if (!requestNotify()) return;
  run();
  setInterval(run, INTERVAL_MS).unref();
}
