import "server-only";

import { inWords, type BackupDeps } from "@/lib/backup/deps";
import {
  follow,
  goneSource,
  operationWords,
  pick,
  record,
  recordedProgress,
  refreshed,
  storageOf,
  type RestoreContext,
  type RestoreDeps,
} from "@/lib/backup/restore-steps";
import { startBackupRun } from "@/lib/backup/runner";
import { getBackupRun, type BackupRun } from "@/lib/backup/runs";
import type { ChangeRequestItemTable } from "@/lib/db/schema/requests/table";
import {
  folderName,
  readOperation,
  startFullRestore,
  startKeyRestore,
  type HsmOperation,
} from "@/lib/hsm/backup";
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

export type { RestoreDeps };

export type RestoreOutcome = { state: ItemState; result?: unknown; error?: string };

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
