import "server-only";

import { assessFreshness, HOUR_MS, type BackupFreshness } from "@/lib/backup/freshness";
import type { Db } from "@/lib/db/client";
import { getEnv, type Env } from "@/lib/env";
import { configuredHsms } from "@/lib/hsm/targets";

/*
 * Each configured HSM's last good backup and how fresh it is, for the backups page, the
 * overview and the freshness alert. A good backup is a succeeded run of any trigger —
 * scheduled, manual or the safety backup before a restore — whose folder retention has not
 * deleted: one that could be restored from.
 */

/** The staleness threshold this portal is configured with (KEYWARD_BACKUP_STALE_HOURS). */
export function staleThresholdMs(env: Env = getEnv()): number {
  return env.backup.staleHours * HOUR_MS;
}

/** When each HSM's last good backup finished: one query over the `backup_run_last_good` index. */
export async function lastGoodBackups(
  db: Db,
  hsms: readonly string[],
): Promise<Map<string, number>> {
  if (hsms.length === 0) return new Map();
  const rows = await db
    .selectFrom("backup_run")
    .select(["hsm", (eb) => eb.fn.max("finished_at").as("last_good_at")])
    .where("hsm", "in", hsms)
    .where("state", "=", "succeeded")
    .where("folder_deleted_at", "is", null)
    .groupBy("hsm")
    .execute();
  const lastGood = new Map<string, number>();
  for (const row of rows)
    if (row.last_good_at !== null) lastGood.set(row.hsm, Number(row.last_good_at));
  return lastGood;
}

/**
 * One entry per HSM (the portal's configured ones unless named), in their configured order:
 * fresh, stale past `thresholdMs`, or never backed up, with the age and a sentence to show.
 */
export async function backupFreshness(
  db: Db,
  now: number,
  thresholdMs: number = staleThresholdMs(),
  hsms: readonly string[] = configuredHsms().map((hsm) => hsm.name),
): Promise<BackupFreshness[]> {
  const lastGood = await lastGoodBackups(db, hsms);
  return hsms.map((hsm) => assessFreshness(hsm, lastGood.get(hsm) ?? null, thresholdMs, now));
}
