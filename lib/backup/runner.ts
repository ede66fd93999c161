import "server-only";

import { z } from "zod";

import { auditedTransaction, recordInTransaction } from "@/lib/audit/service";
import { systemActor, type AuditContext } from "@/lib/audit/types";
import {
  inWords,
  RUN_LEASE_TTL_MS,
  runLease,
  type BackupDeps,
  type BackupTarget,
  type RunAudit,
} from "@/lib/backup/deps";
import {
  insertMissedRuns,
  insertRunningRun,
  runningRunOf,
  saveOperation,
  type BackupRun,
} from "@/lib/backup/runs";
import { followToEnd, settle } from "@/lib/backup/settle";
import { withLease } from "@/lib/db/lease";
import { AppError, isAppError } from "@/lib/errors";
import { startBackup, type BackupStorage, type HsmOperation } from "@/lib/hsm/backup";
import { isOutcomeUnknown } from "@/lib/hsm/errors";
import type { HsmHandle } from "@/lib/hsm/handle";

/*
 * A backup run: claimed (one per HSM, guarded by the lease and, across every failure of it, by
 * the unique index on running runs), pre-checked, started, its job kept at once, followed to
 * its end and settled. A backup changes nothing in the HSM, so it is audited, not approved.
 * The SAS is minted for the one call that starts the backup and goes nowhere else.
 */

const actorSchema = z.object({
  type: z.enum(["user", "application", "system", "anonymous"]),
  id: z.string().min(1),
  name: z.string().min(1),
});

const requestSchema = z
  .object({
    hsm: z.string().min(1),
    trigger: z.enum(["manual", "schedule", "safety"]),
    actor: actorSchema,
    requestId: z.string().nullable().default(null),
    scheduleName: z.string().min(1).optional(),
    scheduledFor: z.number().int().nonnegative().optional(),
  })
  .refine(
    (r) => r.scheduledFor === undefined || (r.trigger === "schedule" && r.scheduleName),
    "only a scheduled run has a scheduled time, and it names its schedule",
  );

export type BackupRequest = z.input<typeof requestSchema>;

const iso = (time: number) => new Date(time).toISOString();

/** Why a run of this HSM cannot start now, as a 409. */
async function busy(deps: BackupDeps, hsm: string): Promise<AppError> {
  const running = await runningRunOf(deps.db, hsm);
  return new AppError(
    "conflict",
    running
      ? `A backup of ${hsm} has been running since ${iso(running.startedAt ?? running.createdAt)} (run ${running.id}); wait for it to finish.`
      : `Another portal instance is starting or resuming a backup of ${hsm}; try again in a minute.`,
  );
}

/** Records the run as running with its `backup.start` event, or refuses with a 409. */
async function claimRun(
  deps: BackupDeps,
  request: z.output<typeof requestSchema>,
  containerUrl: string,
  onRecorded: AuditContext["onRecorded"],
): Promise<BackupRun> {
  const run = await auditedTransaction(
    { actor: request.actor, requestId: request.requestId, action: "backup.start", onRecorded },
    (trx) =>
      insertRunningRun(
        trx,
        {
          hsm: request.hsm,
          trigger: request.trigger,
          scheduleName: request.scheduleName ?? null,
          scheduledFor: request.scheduledFor ?? null,
          requestedBy: request.trigger === "schedule" ? null : request.actor,
          containerUrl,
        },
        (deps.now ?? Date.now)(),
      ),
    (inserted) =>
      inserted && {
        target: { hsm: inserted.hsm, run: inserted.id },
        detail: {
          trigger: inserted.trigger,
          schedule: inserted.scheduleName,
          scheduledFor: inserted.scheduledFor === null ? null : iso(inserted.scheduledFor),
          container: inserted.containerUrl,
        },
      },
    deps.db,
  );
  if (run) return run;
  if (request.scheduledFor !== undefined && !(await runningRunOf(deps.db, request.hsm)))
    throw new AppError(
      "conflict",
      `The ${request.scheduleName} backup of ${request.hsm} due at ${iso(request.scheduledFor)} has already been recorded.`,
    );
  throw await busy(deps, request.hsm);
}

/** Pre-checks, starts and follows a claimed run; every failure ends as the run's outcome. */
async function carryOut(
  deps: BackupDeps,
  handle: HsmHandle,
  target: BackupTarget,
  run: BackupRun,
  audit: RunAudit,
): Promise<BackupRun> {
  const now = deps.now ?? Date.now;
  const fail = (error: string) =>
    settle(deps, run, audit, { state: "failed", finishedAt: now(), error });
  try {
    const problem = await target.container.problem();
    if (problem) return await fail(`Pre-check failed: ${problem}`);
    let storage: BackupStorage;
    if (target.auth === "managed-identity")
      storage = { containerUrl: target.container.url, useManagedIdentity: true };
    else {
      try {
        storage = {
          containerUrl: target.container.url,
          sasToken: await target.container.mintSas(now()),
        };
      } catch (error) {
        return await fail(
          `Pre-check failed: no SAS could be minted for the container: ${inWords(error)}`,
        );
      }
    }
    let operation: HsmOperation;
    try {
      operation = await startBackup(handle, storage);
    } catch (error) {
      // 409: the HSM is already running a backup or a restore (started elsewhere than here).
      if (isAppError(error) && error.code === "conflict")
        return await fail(`The HSM is busy: ${error.message}`);
      // The start was sent and its answer lost (a reset connection, a 500): the HSM may be
      // running a backup this run has no job id for. The start is not sent again (it would
      // make a second backup); the HSM answers the next run 409 until that one has ended.
      return await fail(
        isOutcomeUnknown(error)
          ? `The HSM's answer to the backup's start was lost: it may have started a backup that this run cannot follow, whose folder is not catalogued (${inWords(error)})`
          : `The HSM did not start the backup: ${inWords(error)}`,
      );
    }
    await saveOperation(deps.db, run.id, operation, now());
    const started = { ...run, jobId: operation.jobId, statusUrl: operation.statusUrl };
    return await followToEnd(deps, handle, started, operation, audit);
  } catch (error) {
    return fail(inWords(error));
  }
}

/**
 * Starts a backup of one HSM and answers once the run is recorded; the run goes on in `done`,
 * which resolves with the settled run. A run already running (here or on another instance)
 * answers 409 and records nothing. `onRecorded` hears of the `backup.start` event (a route's
 * audit context, so that the route does not record the start a second time).
 */
export async function startBackupRun(
  deps: BackupDeps,
  input: BackupRequest,
  options: { onRecorded?: AuditContext["onRecorded"] } = {},
): Promise<{ run: BackupRun; done: Promise<BackupRun> }> {
  const request = requestSchema.parse(input);
  const handle = deps.handleOf(request.hsm);
  const target = deps.targetOf(request.hsm, request.scheduleName ?? null);
  const audit: RunAudit = { actor: request.actor, requestId: request.requestId };
  let announce: (run: BackupRun) => void = () => undefined;
  const claimed = new Promise<BackupRun>((resolve) => (announce = resolve));
  const leased = withLease(
    runLease(request.hsm),
    RUN_LEASE_TTL_MS,
    async () => {
      const run = await claimRun(deps, request, target.container.url, options.onRecorded);
      announce(run);
      return carryOut(deps, handle, target, run, audit);
    },
    { db: deps.db },
  );
  const first = await Promise.race([
    claimed.then((run) => ({ run })),
    leased.then((outcome) => ({ outcome })),
  ]);
  if ("run" in first) {
    const done = leased.then((outcome) => {
      if (!outcome.acquired) throw new AppError("internal", "the backup lost its lease");
      return outcome.value;
    });
    return { run: first.run, done };
  }
  if (first.outcome.acquired)
    return { run: first.outcome.value, done: Promise.resolve(first.outcome.value) };
  throw await busy(deps, request.hsm);
}

/** Runs a backup to its end and returns the settled run (failures are its outcome, not thrown). */
export async function runBackup(deps: BackupDeps, input: BackupRequest): Promise<BackupRun> {
  return (await startBackupRun(deps, input)).done;
}

/**
 * Records the times a schedule missed while no portal ran (the scheduler runs only the latest
 * one). Times already recorded, by this or another instance, are skipped; the newly recorded
 * ones are audited as `backup.missed` in the same transaction.
 */
export async function recordMissed(
  deps: BackupDeps,
  hsm: string,
  scheduleName: string,
  times: readonly number[],
): Promise<BackupRun[]> {
  const containerUrl = deps.targetOf(hsm, scheduleName).container.url;
  return deps.db.transaction().execute(async (trx) => {
    const missed = await insertMissedRuns(
      trx,
      { hsm, scheduleName, containerUrl, times: [...times] },
      (deps.now ?? Date.now)(),
    );
    if (missed.length > 0)
      await recordInTransaction(
        trx,
        { actor: systemActor("backup scheduler"), requestId: null, action: "backup.missed" },
        {
          target: { hsm, schedule: scheduleName },
          outcome: "failed",
          detail: {
            missed: missed.map((run) => iso(run.scheduledFor!)),
            runs: missed.map((r) => r.id),
          },
        },
      );
    return missed;
  });
}
