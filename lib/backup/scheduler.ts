import "server-only";

import { systemActor } from "@/lib/audit/types";
import { applyRetention, type RetentionOutcome } from "@/lib/backup/apply-retention";
import { inWords, type BackupDeps } from "@/lib/backup/deps";
import { runsNamedByOpenRestores } from "@/lib/backup/restore-state";
import { recordMissed, startBackupRun } from "@/lib/backup/runner";
import type { BackupRun } from "@/lib/backup/runs";
import { lastRecordedSlot, listSchedules, type BackupSchedule } from "@/lib/backup/schedules";
import { owedSlots } from "@/lib/backup/slots";
import type { Db } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import { isAppError } from "@/lib/errors";

/*
 * One tick of the backup scheduler, under a lease so that one portal instance decides at a
 * time: for each schedule that is not paused, the times it missed while no portal ran are
 * recorded as missed (once: recordMissed skips recorded times), and its latest due time is
 * claimed and started (once: the unique index on a schedule's times refuses a second run, from
 * this instance or another). The tick waits only for the claims; the runs, and the retention
 * after each good one, go on after it.
 */

export const SCHEDULER_LEASE = "backup:scheduler";
const SCHEDULER_LEASE_TTL_MS = 60_000;

export interface SchedulerDeps {
  db: Db;
  /** What one schedule's runs need; its targetOf answers the schedule's container. */
  backupDepsOf: (schedule: BackupSchedule) => BackupDeps;
  now?: () => number;
}

export interface ScheduledRunEnd {
  run: BackupRun;
  /** Null when the run was not good, or the schedule keeps every backup. */
  retention: RetentionOutcome | null;
  /** Why retention could not run, in words. */
  retentionError?: string;
}

export interface TickOutcome {
  started: BackupRun[];
  missed: BackupRun[];
  /** Due times this tick did not start, and why (taken by another instance, HSM busy, …). */
  notStarted: { hsm: string; schedule: string; scheduledFor: number; reason: string }[];
  /** Every started run settled, with its retention applied. */
  settled: Promise<ScheduledRunEnd[]>;
}

const actor = systemActor("backup scheduler");

async function slotTaken(db: Db, schedule: BackupSchedule, slot: number): Promise<boolean> {
  const row = await db
    .selectFrom("backup_run")
    .select("id")
    .where("hsm", "=", schedule.hsm)
    .where("schedule_name", "=", schedule.name)
    .where("scheduled_for", "=", slot)
    .executeTakeFirst();
  return row !== undefined;
}

async function endOf(
  deps: BackupDeps,
  schedule: BackupSchedule,
  done: Promise<BackupRun>,
): Promise<ScheduledRunEnd> {
  const run = await done;
  const { keepLast, maxAgeDays } = schedule.retention;
  if (run.state !== "succeeded" || (keepLast === null && maxAgeDays === null))
    return { run, retention: null };
  try {
    const retention = await applyRetention(deps, {
      hsm: schedule.hsm,
      scheduleName: schedule.name,
      retention: { keepLast: keepLast ?? undefined, keepDays: maxAgeDays ?? undefined },
      container: deps.targetOf(schedule.hsm, schedule.name).container,
      protectedRunIds: await runsNamedByOpenRestores(deps.db, schedule.hsm),
    });
    return { run, retention };
  } catch (error) {
    return { run, retention: null, retentionError: inWords(error) };
  }
}

/** The tick's work for every schedule; callers hold the scheduler's lease. */
export async function runDueSchedules(deps: SchedulerDeps): Promise<TickOutcome> {
  const now = (deps.now ?? Date.now)();
  const outcome: TickOutcome = {
    started: [],
    missed: [],
    notStarted: [],
    settled: Promise.resolve([]),
  };
  const ends: Promise<ScheduledRunEnd>[] = [];
  for (const schedule of await listSchedules(deps.db)) {
    const last = await lastRecordedSlot(deps.db, schedule.hsm, schedule.name);
    const owed = owedSlots(schedule, last, now);
    if (owed.runNow === null) continue;
    const backup = deps.backupDepsOf(schedule);
    const slot = owed.runNow;
    try {
      if (owed.missed.length > 0)
        outcome.missed.push(
          ...(await recordMissed(backup, schedule.hsm, schedule.name, owed.missed)),
        );
      const { run, done } = await startBackupRun(backup, {
        hsm: schedule.hsm,
        trigger: "schedule",
        actor,
        scheduleName: schedule.name,
        scheduledFor: slot,
      });
      outcome.started.push(run);
      ends.push(endOf(backup, schedule, done));
    } catch (error) {
      const taken = isAppError(error) && (await slotTaken(deps.db, schedule, slot));
      outcome.notStarted.push({
        hsm: schedule.hsm,
        schedule: schedule.name,
        scheduledFor: slot,
        // A busy HSM is tried again at the next tick, while this time is still the latest due.
        reason: taken ? "another portal instance has run it" : inWords(error),
      });
    }
  }
  outcome.settled = Promise.all(ends);
  return outcome;
}

/** One tick, or null when another instance holds the scheduler's lease. */
export async function backupSchedulerTick(deps: SchedulerDeps): Promise<TickOutcome | null> {
  const leased = await withLease(
    SCHEDULER_LEASE,
    SCHEDULER_LEASE_TTL_MS,
    () => runDueSchedules(deps),
    {
      db: deps.db,
    },
  );
  return leased.acquired ? leased.value : null;
}
