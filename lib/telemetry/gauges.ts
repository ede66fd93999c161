import "server-only";

import type { ObservableResult } from "@opentelemetry/api";

import { lastGoodBackups } from "@/lib/backup/freshness-store";
import type { Db } from "@/lib/db/client";
import { getLogger } from "@/lib/log/logger";

import { instruments } from "./instruments";

/*
 * Metrics read from the database when the exporter collects them: the change requests waiting
 * to execute, and how old each HSM's last good backup is. Registered only when telemetry is on.
 */

export function registerPortalGauges(
  db: () => Promise<Db>,
  hsms: readonly string[],
  now: () => number = Date.now,
): void {
  const { meter } = instruments();
  const queueDepth = meter.createObservableGauge("keyward.requests.queue_depth", {
    description: "Change requests approved and not yet executed (approved or executing).",
  });
  const backupAge = meter.createObservableGauge("keyward.backup.age", {
    description:
      "Seconds since each HSM's last good backup finished (HSMs never backed up are left out).",
    unit: "s",
  });
  // Each gauge on its own, so that one failing query does not take the other with it; a
  // failure leaves the gauge out of this export and says why in the log.
  const log = getLogger().child({ component: "telemetry" });
  const observing =
    (name: string, observe: (result: ObservableResult) => Promise<void>) =>
    async (result: ObservableResult) => {
      try {
        await observe(result);
      } catch (error) {
        log.warn({ gauge: name, reason: (error as Error).message }, "a gauge could not be read");
      }
    };
  queueDepth.addCallback(
    observing("keyward.requests.queue_depth", async (result) => {
      const waiting = await (
        await db()
      )
        .selectFrom("change_request")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("state", "in", ["approved", "executing"])
        .executeTakeFirstOrThrow();
      result.observe(Number(waiting.count));
    }),
  );
  backupAge.addCallback(
    observing("keyward.backup.age", async (result) => {
      const lastGood = await lastGoodBackups(await db(), hsms);
      const at = now();
      for (const [hsm, finishedAt] of lastGood)
        result.observe(Math.max(0, (at - finishedAt) / 1000), { "keyward.hsm": hsm });
    }),
  );
}
