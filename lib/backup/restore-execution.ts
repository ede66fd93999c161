import "server-only";

import { z } from "zod";

import type { AuditActor } from "@/lib/audit/types";
import { inWords, type BackupDeps } from "@/lib/backup/deps";
import { startBackupRun } from "@/lib/backup/runner";
import { getBackupRun, type BackupRun } from "@/lib/backup/runs";
import type { Db } from "@/lib/db/client";
import type { ChangeRequestItemTable } from "@/lib/db/schema/requests/table";
import { formatUtc } from "@/lib/format/date";
import {
  folderName,
  readOperation,
  startFullRestore,
  startKeyRestore,
  type BackupStorage,
  type HsmOperation,
} from "@/lib/hsm/backup";
import type { HsmHandle } from "@/lib/hsm/handle";
import type { ItemOf, RestoreKind } from "@/lib/requests/kinds";
import { keyState } from "@/lib/requests/live-state";
import type { ItemState } from "@/lib/requests/state-machine";
import { isApplied } from "@/lib/requests/target-state";

/*
 * A restore item carried out: re-read before acting, then the HSM's long-running operation,
 * followed to its end. Exactly once: the safety backup's run and the restore's operation are
 * kept in the item's record the moment they exist, so that an executor resuming the item (the
 * one before it died) follows them instead of starting a second backup or restore.
 */

export interface RestoreDeps {
  backups: BackupDeps;
  /** Re-reads one restored key into the mirror. */
  refreshKey: (handle: HsmHandle, name: string) => Promise<void>;
  /** Re-reads the whole HSM into the mirror after a full restore. */
  refreshAll: (handle: HsmHandle) => Promise<void>;
}

export interface RestoreContext {
  db: Db;
  handle: HsmHandle;
  actor: AuditActor;
  restores: RestoreDeps | undefined;
  /** How long the executor's claim on an item lasts; extended while the operation is followed. */
  claimMs: number;
}

export type RestoreOutcome = { state: ItemState; result?: unknown; error?: string };

const progressSchema = z.object({
  safetyRunId: z.string().optional(),
  operation: z.object({ jobId: z.string(), statusUrl: z.string() }).optional(),
});
type Progress = z.output<typeof progressSchema>;

/** The item's row as stored now: it holds what an earlier attempt recorded. */
async function recordedProgress(db: Db, row: ChangeRequestItemTable): Promise<Progress> {
  const stored = await db
    .selectFrom("change_request_item")
    .select("result")
    .where("request_id", "=", row.request_id)
    .where("position", "=", row.position)
    .executeTakeFirst();
  const parsed = progressSchema.safeParse(stored?.result ? JSON.parse(stored.result) : {});
  return parsed.success ? parsed.data : {};
}

/** Keeps progress in the item's record and extends the claim, while this attempt still holds it. */
async function record(
  context: RestoreContext,
  row: ChangeRequestItemTable,
  attempt: number,
  progress: Progress,
): Promise<void> {
  const now = (context.restores?.backups.now ?? Date.now)();
  await context.db
    .updateTable("change_request_item")
    .set({ result: JSON.stringify(progress), claimed_until: now + context.claimMs })
    .where("request_id", "=", row.request_id)
    .where("position", "=", row.position)
    .where("state", "=", "executing")
    .where("attempts", "=", attempt)
    .execute();
}

/** Polls the operation as its Retry-After asks until it ends, keeping the item claimed. */
async function follow(
  context: RestoreContext,
  backups: BackupDeps,
  keep: () => Promise<void>,
  operation: HsmOperation,
): Promise<HsmOperation> {
  const now = backups.now ?? Date.now;
  const sleep = backups.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + (backups.followForMs ?? 6 * 3_600_000);
  let current = operation;
  while (current.status === "InProgress" && now() + current.retryAfterMs <= deadline) {
    await sleep(current.retryAfterMs);
    current = await readOperation(context.handle, current.statusUrl);
    await keep();
  }
  return current;
}

/** Where the HSM reads the backup: the container the run wrote to, with a SAS minted now. */
async function storageOf(backups: BackupDeps, run: BackupRun): Promise<BackupStorage> {
  const target = [
    backups.targetOf(run.hsm, run.scheduleName),
    backups.targetOf(run.hsm, null),
  ].find((candidate) => candidate.container.url === run.containerUrl);
  if (!target)
    throw new Error(
      `the backup's container ${run.containerUrl} is no longer a backup target of ${run.hsm}, so the portal holds no access to it`,
    );
  const { container } = target;
  return target.auth === "managed-identity"
    ? { containerUrl: container.url, useManagedIdentity: true }
    : {
        containerUrl: container.url,
        sasToken: await container.mintSas((backups.now ?? Date.now)()),
      };
}

/** Why the run can no longer be restored from (retention deleted its folder since the filing). */
function goneSource(run: BackupRun | null, runId: string): string | null {
  if (!run || run.state !== "succeeded" || !run.folderUrl)
    return `backup run ${runId} is no longer a good backup; nothing was restored`;
  if (run.folderDeletedAt !== null)
    return `the folder of backup run ${runId} was deleted on ${formatUtc(run.folderDeletedAt)}; nothing was restored`;
  return null;
}

const operationWords = (operation: HsmOperation) =>
  operation.status === "Failed"
    ? `the HSM failed the restore (job ${operation.jobId}): ${operation.error?.message ?? operation.statusDetails ?? "no reason given"}`
    : `the restore (job ${operation.jobId}) was still running when the executor stopped following it; its outcome is unknown`;

async function restoreKey(
  context: RestoreContext,
  restores: RestoreDeps,
  row: ChangeRequestItemTable,
  item: ItemOf<"restore.key">,
  { maybeWritten, attempt }: { maybeWritten: boolean; attempt: number },
): Promise<RestoreOutcome> {
  const { handle } = context;
  const progress = await recordedProgress(context.db, row);
  const current = await keyState(handle, item.key, "background", { policy: false, deleted: true });
  const present = isApplied("restore.key", item, {}, current);
  let operation: HsmOperation;
  if (progress.operation) {
    if (present)
      return {
        state: "executed",
        result: {
          ...progress,
          confirmedByReadingBack: true,
          refresh: await refreshed(restores.refreshKey(handle, item.key)),
        },
      };
    operation = await readOperation(handle, progress.operation.statusUrl);
  } else {
    if (maybeWritten && present)
      return { state: "executed", result: { confirmedByReadingBack: true } };
    if (current.key || current.deleted)
      return {
        state: "stale",
        error: `key ${item.key} exists in HSM ${handle.name} again${current.key ? "" : " (deleted)"}; nothing was restored`,
      };
    const run = await getBackupRun(context.db, item.backupRunId);
    const gone = goneSource(run, item.backupRunId);
    if (gone || !run) return { state: "failed", error: gone ?? "" };
    const storage = await storageOf(restores.backups, run);
    operation = await startKeyRestore(handle, storage, folderName(run.folderUrl!), item.key);
    await record(context, row, attempt, { operation: pick(operation) });
  }
  const ended = await follow(
    context,
    restores.backups,
    () => record(context, row, attempt, { operation: pick(operation) }),
    operation,
  );
  if (ended.status !== "Succeeded") return { state: "failed", error: operationWords(ended) };
  return {
    state: "executed",
    result: {
      operation: pick(ended),
      refresh: await refreshed(restores.refreshKey(handle, item.key)),
    },
  };
}

const pick = (operation: HsmOperation) => ({
  jobId: operation.jobId,
  statusUrl: operation.statusUrl,
});

/** A mirror refresh's outcome in words: the restore stands whether or not the refresh worked. */
async function refreshed(refresh: Promise<void>): Promise<string> {
  try {
    await refresh;
    return "the mirror was refreshed";
  } catch (error) {
    return `the mirror could not be refreshed (the next sync will): ${inWords(error)}`;
  }
}

const SAFETY_POLL_MS = 5_000;

/** The safety run once it has ended (a resumed item's safety backup may still be running). */
async function settledRun(backups: BackupDeps, runId: string): Promise<BackupRun | null> {
  const now = backups.now ?? Date.now;
  const sleep = backups.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + (backups.followForMs ?? 6 * 3_600_000);
  for (;;) {
    const run = await getBackupRun(backups.db, runId);
    if (!run || run.state !== "running" || now() + SAFETY_POLL_MS > deadline) return run;
    await sleep(SAFETY_POLL_MS);
  }
}

/** Backs the HSM up as it is now into its default container, keeping the run's id at once. */
async function safetyBackup(
  context: RestoreContext,
  backups: BackupDeps,
  row: ChangeRequestItemTable,
  attempt: number,
): Promise<BackupRun | string> {
  try {
    const started = await startBackupRun(backups, {
      hsm: context.handle.name,
      trigger: "safety",
      actor: context.actor,
    });
    await record(context, row, attempt, { safetyRunId: started.run.id });
    return await started.done;
  } catch (error) {
    return `the safety backup could not start: ${inWords(error)}; nothing was restored`;
  }
}

async function restoreFull(
  context: RestoreContext,
  restores: RestoreDeps,
  row: ChangeRequestItemTable,
  item: ItemOf<"restore.full">,
  attempt: number,
): Promise<RestoreOutcome> {
  const { handle, db } = context;
  const { backups } = restores;
  let progress = await recordedProgress(db, row);
  let operation: HsmOperation;
  if (progress.operation) {
    operation = await readOperation(handle, progress.operation.statusUrl);
  } else {
    const run = await getBackupRun(db, item.backupRunId);
    const gone = goneSource(run, item.backupRunId);
    if (gone || !run) return { state: "failed", error: gone ?? "" };
    const safety = progress.safetyRunId
      ? ((await settledRun(backups, progress.safetyRunId)) ??
        `the safety backup run ${progress.safetyRunId} is not recorded; nothing was restored`)
      : await safetyBackup(context, backups, row, attempt);
    if (typeof safety === "string") return { state: "failed", error: safety };
    if (safety.state !== "succeeded")
      return {
        state: "failed",
        error: `the safety backup (run ${safety.id}) ${safety.state === "running" ? "is still running" : `did not succeed: ${safety.error ?? safety.state}`}; nothing was restored`,
      };
    const storage = await storageOf(backups, run);
    operation = await startFullRestore(handle, storage, folderName(run.folderUrl!));
    progress = { safetyRunId: safety.id, operation: pick(operation) };
    await record(context, row, attempt, progress);
  }
  const ended = await follow(
    context,
    backups,
    () => record(context, row, attempt, progress),
    operation,
  );
  if (ended.status !== "Succeeded")
    return {
      state: "failed",
      error: `${operationWords(ended)} (the safety backup is run ${progress.safetyRunId ?? "unknown"})`,
    };
  return {
    state: "executed",
    result: { ...progress, refresh: await refreshed(restores.refreshAll(handle)) },
  };
}

/** One restore item, from its re-read to its settled outcome. */
export async function executeRestore(
  context: RestoreContext,
  kind: RestoreKind,
  row: ChangeRequestItemTable,
  item: ItemOf<RestoreKind>,
  flags: { maybeWritten: boolean; attempt: number },
): Promise<RestoreOutcome> {
  if (!context.restores)
    return {
      state: "failed",
      error:
        "this portal instance has no backup storage configured, so it cannot restore; nothing was restored",
    };
  return kind === "restore.key"
    ? restoreKey(context, context.restores, row, item as ItemOf<"restore.key">, flags)
    : restoreFull(context, context.restores, row, item, flags.attempt);
}
