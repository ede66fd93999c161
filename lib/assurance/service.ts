import "server-only";

import { sql } from "kysely";
import { z } from "zod";

import { reviewStandings } from "@/lib/access-reviews/rules";
import { listReviews } from "@/lib/access-reviews/store";
import {
  monthEnds,
  monthlyRotationCompliance,
  rotationByHsm,
  type ComplianceKey,
} from "@/lib/assurance/rotation";
import { chainStatus, findingsByHsm, lastExport } from "@/lib/assurance/summaries";
import { latestVerification } from "@/lib/audit/verification";
import { hasPermission, type Permission } from "@/lib/auth/permissions";
import { freshnessOfHsms } from "@/lib/backup/page-data";
import { runDayCounts, runDays, type DayRun } from "@/lib/backup/run-days";
import { getDb, type Db } from "@/lib/db/client";
import { recentExports } from "@/lib/evidence/service";
import { configuredHsms } from "@/lib/hsm/targets";
import { listOutOfBand, openCountsByHsm } from "@/lib/out-of-band/service";
import { sodState } from "@/lib/sod/service";

/*
 * What the assurance page reads: each section only for those whose roles may read it (the page
 * itself needs audit.read). Read-only: nothing here changes anything.
 */

export const CHART_MONTHS = 12;
export const BACKUP_DAYS = 30;
const DAY_MS = 86_400_000;
/** Export attempts looked at for the last good pack. */
const EXPORTS_READ = 10;
/** Open out-of-band changes listed on the page (the overview lists more). */
const CHANGES_SHOWN = 5;

// The mirror's JSON column, checked at the boundary: only what the rotation maths reads.
const rotationTerms = z.object({
  lifetimeActions: z.array(
    z.object({
      action: z.string(),
      timeAfterCreate: z.string().nullable(),
      timeBeforeExpiry: z.string().nullable(),
    }),
  ),
  expiresIn: z.string().nullable(),
});

/**
 * The mirror's keys of `hsms` live at any time from `since` on (soft-deleted keys too while they
 * were live in the window; purged keys have left the mirror).
 */
export async function complianceKeys(
  db: Db,
  hsms: readonly string[],
  since: number,
): Promise<ComplianceKey[]> {
  if (hsms.length === 0) return [];
  const rows = await db
    .selectFrom("inventory_key")
    .select(["hsm", "policy", "created_at", "expires_at", "version_count", "deleted_at"])
    .where("hsm", "in", hsms)
    .where((eb) => eb.or([eb("deleted_at", "is", null), eb("deleted_at", ">", since)]))
    .execute();
  return rows.map((row) => ({
    hsm: row.hsm,
    policy: row.policy === null ? null : rotationTerms.parse(JSON.parse(row.policy)),
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    versionCount: row.version_count,
    deletedAt: row.deleted_at === null ? null : Number(row.deleted_at),
  }));
}

/** Every HSM's backup runs that started (or were due, for a missed one) at or after `since`. */
export async function backupRunsSince(
  db: Db,
  since: number,
): Promise<(DayRun & { hsm: string })[]> {
  const rows = await db
    .selectFrom("backup_run")
    .select(["hsm", "state", "started_at", "scheduled_for", "created_at"])
    .where(sql<number>`coalesce(started_at, scheduled_for, created_at)`, ">=", since)
    .execute();
  return rows.map((row) => ({
    hsm: row.hsm,
    state: row.state,
    startedAt: row.started_at === null ? null : Number(row.started_at),
    scheduledFor: row.scheduled_for === null ? null : Number(row.scheduled_for),
    createdAt: Number(row.created_at),
  }));
}

async function auditHeadSeq(db: Db): Promise<number> {
  return (await db.selectFrom("audit_head").select("seq").executeTakeFirst())?.seq ?? 0;
}

async function auditSection(db: Db) {
  const [verification, headSeq, exports] = await Promise.all([
    latestVerification(db),
    auditHeadSeq(db),
    recentExports(EXPORTS_READ),
  ]);
  return { verification, status: chainStatus(verification, headSeq), ...lastExport(exports) };
}

async function outOfBandSection(hsms: readonly string[]) {
  const [counts, newest] = await Promise.all([
    openCountsByHsm(),
    listOutOfBand({ state: "open", limit: CHANGES_SHOWN }),
  ]);
  return { byHsm: hsms.map((hsm) => ({ hsm, open: counts.get(hsm) ?? 0 })), newest };
}

async function rotationSection(db: Db, hsms: readonly string[], now: number) {
  const since = monthEnds(now, CHART_MONTHS)[0]!.at;
  const keys = await complianceKeys(db, hsms, since);
  return {
    byHsm: rotationByHsm(keys, hsms, now),
    months: monthlyRotationCompliance(keys, now, CHART_MONTHS),
  };
}

async function backupSection(db: Db, now: number) {
  const first = (Math.floor(now / DAY_MS) - (BACKUP_DAYS - 1)) * DAY_MS;
  const [freshness, runs] = await Promise.all([freshnessOfHsms(now), backupRunsSince(db, first)]);
  return {
    freshness: freshness.map((f) => ({
      ...f,
      days: runDays(
        runs.filter((run) => run.hsm === f.hsm),
        now,
        BACKUP_DAYS,
      ),
    })),
    days: runDayCounts(runs, now, BACKUP_DAYS),
  };
}

/** The assurance page's sections, each null when these roles may not read it. */
export async function assuranceView(roles: readonly string[], now = Date.now()) {
  const db = await getDb();
  const hsms = configuredHsms().map((hsm) => hsm.name);
  const when = <T>(permission: Permission, read: () => Promise<T>) =>
    hasPermission(roles, permission) ? read() : Promise.resolve(null);
  const [audit, outOfBand, sod, rotation, backups, reviews] = await Promise.all([
    when("audit.read", () => auditSection(db)),
    when("outOfBand.read", () => outOfBandSection(hsms)),
    when("access.read", async () => findingsByHsm((await sodState()).findings, hsms)),
    when("inventory.readAll", () => rotationSection(db, hsms, now)),
    when("backups.read", () => backupSection(db, now)),
    when("accessReviews.read", async () => reviewStandings(await listReviews(db), hsms)),
  ]);
  return { now, hsms, audit, outOfBand, sod, rotation, backups, reviews };
}

export type AssuranceView = Awaited<ReturnType<typeof assuranceView>>;
