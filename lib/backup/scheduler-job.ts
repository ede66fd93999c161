import "server-only";

import { applicationTokenSource } from "@/lib/auth/credentials";
import { getMsal } from "@/lib/auth/msal";
import { mirrorRefresher, type BackupDeps } from "@/lib/backup/deps";
import { backupSchedulerTick } from "@/lib/backup/scheduler";
import type { BackupSchedule } from "@/lib/backup/schedules";
import { getDb, type Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { AZURITE_DEV_ACCOUNT } from "@/lib/local-azurite";
import { getLogger } from "@/lib/log/logger";
import { backupContainer, type ContainerAccess } from "@/lib/storage/backup-container";

/*
 * Starts the backup scheduler in a portal process: a tick every KEYWARD_BACKUP_SCHEDULER_SECONDS
 * (one at a time in this process; the lease makes it one across instances), logging what it
 * started, recorded as missed or could not start.
 */

/** How the portal reaches a schedule's container: Azurite's account locally, its identity in Azure. */
function containerAccess(): ContainerAccess {
  return getEnv().mode === "local"
    ? {
        kind: "account-key",
        accountName: AZURITE_DEV_ACCOUNT.name,
        accountKey: AZURITE_DEV_ACCOUNT.key,
      }
    : { kind: "user-delegation", tokens: applicationTokenSource(getMsal()) };
}

/** A schedule's runs go to the schedule's container, reached as the schedule says. */
export function scheduleBackupDeps(db: Db, schedule: BackupSchedule): BackupDeps {
  return {
    db,
    handleOf: portalHsmOrThrow,
    targetOf: () => ({
      container: backupContainer(schedule.container, containerAccess()),
      auth: schedule.auth,
    }),
    refreshMirror: mirrorRefresher(db, { concurrency: getEnv().hsmConcurrency }),
  };
}

let ticking = false;

async function tick(): Promise<void> {
  if (ticking) return;
  ticking = true;
  const log = getLogger();
  try {
    const db = await getDb();
    const outcome = await backupSchedulerTick({
      db,
      backupDepsOf: (schedule) => scheduleBackupDeps(db, schedule),
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
