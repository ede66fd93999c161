import "server-only";

import type { BackupFreshness } from "@/lib/backup/freshness";
import { backupFreshness } from "@/lib/backup/freshness-store";
import { runDays, type RunDay } from "@/lib/backup/run-days";
import type { BackupRun } from "@/lib/backup/runs";
import type { BackupScheduleView } from "@/lib/backup/schedule-api-shapes";
import { scheduleViews } from "@/lib/backup/schedule-list";
import { listRuns, type RunFilter } from "@/lib/backup/service";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { configuredHsms } from "@/lib/hsm/targets";

/*
 * What the backups page and the overview read, with no permission checks (the pages check
 * backups.read): each HSM's freshness, schedules and last 30 days, and the run history.
 */

export const STRIP_DAYS = 30;
/** Enough runs to colour 30 days of an HSM backed up a few times a day. */
const STRIP_RUNS = 200;

export interface HsmBackups {
  hsm: string;
  freshness: BackupFreshness;
  schedules: BackupScheduleView[];
  /** The earliest next run of its schedules that are not paused; null when none is due. */
  nextRunAt: string | null;
  /** The newest run, to show one still running. */
  latest: BackupRun | null;
  days: RunDay[];
}

/** Each configured HSM's last good backup, fresh, stale or never (the overview's line). */
export async function freshnessOfHsms(now: number): Promise<BackupFreshness[]> {
  return backupFreshness(await getDb(), now);
}

/** Each configured HSM's backups, as of `now` (the page prints its times against it). */
export async function backupsByHsm(now = Date.now()): Promise<{ now: number; hsms: HsmBackups[] }> {
  const [freshness, schedules] = await Promise.all([freshnessOfHsms(now), scheduleViews(now)]);
  const hsms = await Promise.all(
    configuredHsms().map(async ({ name }) => {
      const runs = await listRuns({ hsm: name, limit: STRIP_RUNS });
      const own = schedules.filter((s) => s.hsm === name);
      const next = own
        .map((s) => s.nextRunAt)
        .filter((time): time is string => time !== null)
        .sort()[0];
      return {
        hsm: name,
        freshness: freshness.find((f) => f.hsm === name)!,
        schedules: own,
        nextRunAt: next ?? null,
        latest: runs[0] ?? null,
        days: runDays(runs, now, STRIP_DAYS),
      };
    }),
  );
  return { now, hsms };
}

/** The run history, filtered as the page's URL says. */
export async function runHistory(filter: RunFilter): Promise<BackupRun[]> {
  return listRuns(filter);
}

/** A new schedule's form starts with the on-demand container and UTC. */
export function scheduleDefaults(): { container: string; timeZone: string } {
  return { container: getEnv().backup.containerUrl ?? "", timeZone: "UTC" };
}
