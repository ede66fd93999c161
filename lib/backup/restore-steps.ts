import "server-only";

import { z } from "zod";

import type { AuditActor } from "@/lib/audit/types";
import { inWords, type BackupDeps } from "@/lib/backup/deps";
import type { BackupRun } from "@/lib/backup/runs";
import type { Db } from "@/lib/db/client";
import type { ChangeRequestItemTable } from "@/lib/db/schema/requests/table";
import { formatUtc } from "@/lib/format/date";
import { readOperation, type BackupStorage, type HsmOperation } from "@/lib/hsm/backup";
import type { HsmHandle } from "@/lib/hsm/handle";

/*
 * The steps a restore item is made of: its progress kept in the item's record (and the claim on
 * it extended) the moment there is any, its operation followed as Retry-After asks, the backup's
 * container reached with a SAS minted for the one call, and outcomes in words.
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

const progressSchema = z.object({
  safetyRunId: z.string().optional(),
  operation: z.object({ jobId: z.string(), statusUrl: z.string() }).optional(),
});
export type Progress = z.output<typeof progressSchema>;

/** The item's row as stored now: it holds what an earlier attempt recorded. */
export async function recordedProgress(db: Db, row: ChangeRequestItemTable): Promise<Progress> {
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
export async function record(
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
export async function follow(
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
export async function storageOf(backups: BackupDeps, run: BackupRun): Promise<BackupStorage> {
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
export function goneSource(run: BackupRun | null, runId: string): string | null {
  if (!run || run.state !== "succeeded" || !run.folderUrl)
    return `backup run ${runId} is no longer a good backup; nothing was restored`;
  if (run.folderDeletedAt !== null)
    return `the folder of backup run ${runId} was deleted on ${formatUtc(run.folderDeletedAt)}; nothing was restored`;
  return null;
}

export const operationWords = (operation: HsmOperation) =>
  operation.status === "Failed"
    ? `the HSM failed the restore (job ${operation.jobId}): ${operation.error?.message ?? operation.statusDetails ?? "no reason given"}`
    : `the restore (job ${operation.jobId}) was still running when the executor stopped following it; its outcome is unknown`;

export const pick = (operation: HsmOperation) => ({
  jobId: operation.jobId,
  statusUrl: operation.statusUrl,
});

/** A mirror refresh's outcome in words: the restore stands whether or not the refresh worked. */
export async function refreshed(refresh: Promise<void>): Promise<string> {
  try {
    await refresh;
    return "the mirror was refreshed";
  } catch (error) {
    return `the mirror could not be refreshed (the next sync will): ${inWords(error)}`;
  }
}
