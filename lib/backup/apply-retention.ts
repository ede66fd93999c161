import "server-only";

import { recordAuditEvent, recordInTransaction } from "@/lib/audit/service";
import { systemActor, type AuditActor } from "@/lib/audit/types";
import { deleteCatalogue } from "@/lib/backup/catalogue-store";
import { inWords, type BackupDeps } from "@/lib/backup/deps";
import { backupsToDelete, type Retention } from "@/lib/backup/retention";
import { markFolderDeleted, retainedRuns } from "@/lib/backup/runs";
import { folderName } from "@/lib/hsm/backup";
import type { BackupContainer } from "@/lib/storage/backup-container";

/*
 * Retention after a schedule's good run: the folders its rules let go (never the newest good
 * backup, never one a pending restore names) are deleted from the container, then marked deleted
 * with their catalogue dropped and a `backup.retention` event, in one transaction per folder. A
 * folder that is not in this container (the schedule moved since) is left alone.
 */

export interface RetentionRequest {
  hsm: string;
  scheduleName: string;
  retention: Retention;
  container: BackupContainer;
  /** Runs a pending restore names. */
  protectedRunIds?: ReadonlySet<string>;
  actor?: AuditActor;
}

export interface RetentionOutcome {
  deleted: { runId: string; folder: string; blobs: number }[];
  failed: { runId: string; error: string }[];
}

export async function applyRetention(
  deps: BackupDeps,
  request: RetentionRequest,
): Promise<RetentionOutcome> {
  const now = deps.now ?? Date.now;
  const context = {
    actor: request.actor ?? systemActor("backup retention"),
    requestId: null,
    action: "backup.retention",
  };
  const outcome: RetentionOutcome = { deleted: [], failed: [] };
  const runs = await retainedRuns(deps.db, request.hsm, request.scheduleName);
  const doomed = backupsToDelete(runs, request.retention, now(), request.protectedRunIds);
  const inContainer = `${request.container.url.replace(/\/+$/, "")}/`;
  for (const run of doomed) {
    if (!run.folderUrl.startsWith(inContainer)) continue;
    const folder = folderName(run.folderUrl);
    const target = { hsm: request.hsm, run: run.id, schedule: request.scheduleName };
    try {
      const blobs = await request.container.deleteFolder(folder);
      const marked = await deps.db.transaction().execute(async (trx) => {
        if (!(await markFolderDeleted(trx, run.id, now()))) return false;
        await deleteCatalogue(trx, run.id);
        await recordInTransaction(trx, context, {
          target,
          detail: { folder, blobs, finishedAt: new Date(run.finishedAt).toISOString() },
        });
        return true;
      });
      if (marked) outcome.deleted.push({ runId: run.id, folder, blobs });
    } catch (error) {
      const reason = inWords(error);
      outcome.failed.push({ runId: run.id, error: reason });
      await recordAuditEvent(
        context,
        { target, outcome: "failed", detail: { folder, error: reason } },
        deps.db,
      );
    }
  }
  return outcome;
}
