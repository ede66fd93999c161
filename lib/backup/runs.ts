import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";

import type { AuditActor } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import type { BackupRunState, BackupRunTable, BackupTrigger } from "@/lib/db/schema/backup/table";

/*
 * The record of backup runs. Every change of a run's state is a guarded update (`where state =
 * 'running'`), so that of two portal instances following the same operation only one settles it;
 * the callers write the audit event in the same transaction. No SAS ever reaches this table.
 */

export interface BackupRun {
  id: string;
  hsm: string;
  trigger: BackupTrigger;
  scheduleName: string | null;
  scheduledFor: number | null;
  requestedBy: AuditActor | null;
  state: BackupRunState;
  containerUrl: string;
  jobId: string | null;
  statusUrl: string | null;
  folderUrl: string | null;
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** finishedAt − startedAt, once both are known. */
  durationMs: number | null;
  cataloguedAt: number | null;
  folderDeletedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

const actorSchema = z.object({
  type: z.enum(["user", "application", "system", "anonymous"]),
  id: z.string(),
  name: z.string(),
});

export function runOf(row: BackupRunTable): BackupRun {
  return {
    id: row.id,
    hsm: row.hsm,
    trigger: row.trigger,
    scheduleName: row.schedule_name,
    scheduledFor: row.scheduled_for,
    requestedBy: row.requested_by === null ? null : actorSchema.parse(JSON.parse(row.requested_by)),
    state: row.state,
    containerUrl: row.container_url,
    jobId: row.job_id,
    statusUrl: row.status_url,
    folderUrl: row.folder_url,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs:
      row.started_at !== null && row.finished_at !== null ? row.finished_at - row.started_at : null,
    cataloguedAt: row.catalogued_at,
    folderDeletedAt: row.folder_deleted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewRun {
  hsm: string;
  trigger: BackupTrigger;
  scheduleName: string | null;
  scheduledFor: number | null;
  requestedBy: AuditActor | null;
  containerUrl: string;
}

/**
 * Records a run as running, or returns null when the schema refuses it: a run of this HSM is
 * already running, or this scheduled time already has its run. `on conflict do nothing` keeps
 * the caller's transaction usable on PostgreSQL, where a failed insert would abort it.
 */
export async function insertRunningRun(
  db: Db,
  run: NewRun,
  now: number,
): Promise<BackupRun | null> {
  const row = await db
    .insertInto("backup_run")
    .values({
      id: randomUUID(),
      hsm: run.hsm,
      trigger: run.trigger,
      schedule_name: run.scheduleName,
      scheduled_for: run.scheduledFor,
      requested_by: run.requestedBy === null ? null : JSON.stringify(run.requestedBy),
      state: "running",
      container_url: run.containerUrl,
      job_id: null,
      status_url: null,
      folder_url: null,
      error: null,
      started_at: now,
      finished_at: null,
      catalogued_at: null,
      folder_deleted_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? runOf(row) : null;
}

/** Records scheduled times that passed while no portal ran; times already recorded are skipped. */
export async function insertMissedRuns(
  db: Db,
  missed: { hsm: string; scheduleName: string; containerUrl: string; times: number[] },
  now: number,
): Promise<BackupRun[]> {
  if (missed.times.length === 0) return [];
  const rows = await db
    .insertInto("backup_run")
    .values(
      missed.times.map((time) => ({
        id: randomUUID(),
        hsm: missed.hsm,
        trigger: "schedule" as const,
        schedule_name: missed.scheduleName,
        scheduled_for: time,
        requested_by: null,
        state: "missed" as const,
        container_url: missed.containerUrl,
        job_id: null,
        status_url: null,
        folder_url: null,
        error: `No portal was running at ${new Date(time).toISOString()}, so this scheduled backup did not run.`,
        started_at: null,
        finished_at: null,
        catalogued_at: null,
        folder_deleted_at: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .returningAll()
    .execute();
  return rows.map(runOf);
}

export async function getBackupRun(db: Db, id: string): Promise<BackupRun | null> {
  const row = await db.selectFrom("backup_run").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? runOf(row) : null;
}

export async function runningRunOf(db: Db, hsm: string): Promise<BackupRun | null> {
  const row = await db
    .selectFrom("backup_run")
    .selectAll()
    .where("hsm", "=", hsm)
    .where("state", "=", "running")
    .executeTakeFirst();
  return row ? runOf(row) : null;
}

export async function runningRuns(db: Db): Promise<BackupRun[]> {
  const rows = await db
    .selectFrom("backup_run")
    .selectAll()
    .where("state", "=", "running")
    .orderBy("created_at")
    .execute();
  return rows.map(runOf);
}

/** Kept at once after the HSM accepts the backup, so that a restarted portal can follow it. */
export async function saveOperation(
  db: Db,
  id: string,
  operation: { jobId: string; statusUrl: string },
  now: number,
): Promise<void> {
  await db
    .updateTable("backup_run")
    .set({ job_id: operation.jobId, status_url: operation.statusUrl, updated_at: now })
    .where("id", "=", id)
    .where("state", "=", "running")
    .execute();
}

export interface RunEnding {
  state: Exclude<BackupRunState, "running" | "missed">;
  finishedAt: number;
  folderUrl?: string | null;
  error?: string | null;
  cataloguedAt?: number | null;
}

/** Settles a running run; false when it was no longer running (another instance settled it). */
export async function settleRun(
  trx: Db,
  id: string,
  ending: RunEnding,
  now: number,
): Promise<boolean> {
  const result = await trx
    .updateTable("backup_run")
    .set({
      state: ending.state,
      finished_at: ending.finishedAt,
      folder_url: ending.folderUrl ?? null,
      error: ending.error ?? null,
      catalogued_at: ending.cataloguedAt ?? null,
      updated_at: now,
    })
    .where("id", "=", id)
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * A schedule's good backups whose folders are still in the container, newest first. Only its
 * scheduled runs: a manual or safety backup is never let go by a schedule's retention.
 */
export async function retainedRuns(
  db: Db,
  hsm: string,
  scheduleName: string,
): Promise<(BackupRun & { folderUrl: string; finishedAt: number })[]> {
  const rows = await db
    .selectFrom("backup_run")
    .selectAll()
    .where("hsm", "=", hsm)
    .where("schedule_name", "=", scheduleName)
    .where("trigger", "=", "schedule")
    .where("state", "=", "succeeded")
    .where("folder_url", "is not", null)
    .where("folder_deleted_at", "is", null)
    .orderBy("finished_at", "desc")
    .execute();
  return rows.map(runOf) as (BackupRun & { folderUrl: string; finishedAt: number })[];
}

/** Marks a run's folder deleted; false when another instance already did. */
export async function markFolderDeleted(trx: Db, id: string, now: number): Promise<boolean> {
  const result = await trx
    .updateTable("backup_run")
    .set({ folder_deleted_at: now, updated_at: now })
    .where("id", "=", id)
    .where("folder_deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
