import "server-only";

import { lastGoodBackups } from "@/lib/backup/freshness-store";
import type { Db } from "@/lib/db/client";

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
  meter.addBatchObservableCallback(
    async (result) => {
      const database = await db();
      const [waiting, lastGood] = await Promise.all([
        database
          .selectFrom("change_request")
          .select((eb) => eb.fn.countAll<number>().as("count"))
          .where("state", "in", ["approved", "executing"])
          .executeTakeFirstOrThrow(),
        lastGoodBackups(database, hsms),
      ]);
      result.observe(queueDepth, Number(waiting.count));
      const at = now();
      for (const [hsm, finishedAt] of lastGood)
        result.observe(backupAge, Math.max(0, (at - finishedAt) / 1000), { "keyward.hsm": hsm });
    },
    [queueDepth, backupAge],
  );
}
