import "server-only";

import { backupSchedulerTick } from "@/lib/backup/scheduler";
import { portalBackupDeps, scheduleTarget } from "@/lib/backup/service";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log/logger";

/*
 * Starts the backup scheduler in a portal process: a tick every KEYWARD_BACKUP_SCHEDULER_SECONDS
 * (one at a time in this process; the lease makes it one across instances), logging what it
 * started, recorded as missed or could not start.
 */

let ticking = false;

async function tick(): Promise<void> {
  if (ticking) return;
  ticking = true;
  const log = getLogger();
  try {
    const db = await getDb();
    const outcome = await backupSchedulerTick({
      db,
      backupDepsOf: (schedule) => portalBackupDeps(db, () => scheduleTarget(schedule)),
    });
    if (!outcome) return;
    for (const run of outcome.started)
      log.info(
        { hsm: run.hsm, schedule: run.scheduleName, run: run.id },
        "scheduled backup started",
      );
    if (outcome.missed.length > 0)
      log.warn(
        { runs: outcome.missed.map((r) => r.id) },
        "scheduled backups missed while no portal ran",
      );
    for (const skipped of outcome.notStarted) log.info(skipped, "scheduled backup not started");
    void outcome.settled.then((ends) => {
      for (const end of ends)
        if (end.retentionError || end.retention?.failed.length)
          log.warn(
            { run: end.run.id, error: end.retentionError, failed: end.retention?.failed },
            "retention after a scheduled backup did not finish",
          );
    });
  } catch (error) {
    log.warn({ err: error }, "the backup scheduler's tick failed; it runs again at the next one");
  } finally {
    ticking = false;
  }
}

export function startBackupScheduler(): void {
  const seconds = getEnv().backupSchedulerSeconds;
  if (seconds === 0) {
    getLogger().warn(
      "scheduled backups are off (KEYWARD_BACKUP_SCHEDULER_SECONDS=0): no schedule runs",
    );
    return;
  }
  void tick();
  setInterval(() => void tick(), seconds * 1000).unref();
}
