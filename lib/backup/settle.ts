import "server-only";

import { recordInTransaction } from "@/lib/audit/service";
import type { Catalogue } from "@/lib/backup/catalogue";
import { readCatalogue, writeCatalogue } from "@/lib/backup/catalogue-store";
import { DEFAULT_VERSION_READS, inWords, type BackupDeps, type RunAudit } from "@/lib/backup/deps";
import { getBackupRun, settleRun, type BackupRun, type RunEnding } from "@/lib/backup/runs";
import { followOperation, type HsmOperation } from "@/lib/hsm/backup";
import type { HsmHandle } from "@/lib/hsm/handle";

/*
 * The end of a run: its operation followed to the end, and the outcome written — state, folder,
 * catalogue and the `backup.run` audit event in one transaction, so that a run is never marked
 * good without its catalogue having been tried and its event recorded. Only a run still
 * 'running' is settled: of two instances that followed it, the first one's outcome stands.
 */

const DEFAULT_FOLLOW_MS = 6 * 3_600_000;

/** Writes a run's outcome (and catalogue) with its audit event; returns the run as it now stands. */
export async function settle(
  deps: BackupDeps,
  run: BackupRun,
  audit: RunAudit,
  ending: RunEnding,
  catalogue: Catalogue | null = null,
): Promise<BackupRun> {
  const now = (deps.now ?? Date.now)();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await settleRun(trx, run.id, ending, now))) return;
    if (catalogue) await writeCatalogue(trx, run.id, run.hsm, catalogue);
    await recordInTransaction(
      trx,
      { ...audit, action: "backup.run" },
      {
        target: { hsm: run.hsm, run: run.id },
        outcome: ending.state === "succeeded" ? "succeeded" : "failed",
        detail: {
          state: ending.state,
          trigger: run.trigger,
          schedule: run.scheduleName,
          jobId: run.jobId,
          folderUrl: ending.folderUrl ?? null,
          error: ending.error ?? null,
          durationMs: run.startedAt === null ? null : ending.finishedAt - run.startedAt,
          catalogued: catalogue
            ? {
                keys: catalogue.keys.length,
                roleAssignments: catalogue.access.roleAssignments.length,
              }
            : null,
        },
      },
    );
  });
  return (await getBackupRun(deps.db, run.id))!;
}

/**
 * Follows an operation the HSM accepted until it ends, then settles the run: a good backup gets
 * its catalogue from the mirror refreshed after the end (a backup that succeeded stays good even
 * when its catalogue cannot be written: the error says so and `catalogued_at` stays empty).
 */
export async function followToEnd(
  deps: BackupDeps,
  handle: HsmHandle,
  run: BackupRun,
  operation: HsmOperation,
  audit: RunAudit,
): Promise<BackupRun> {
  const now = deps.now ?? Date.now;
  const job = `job ${operation.jobId || "(unnamed)"}`;
  let ended: HsmOperation;
  try {
    ended = await followOperation(handle, operation, {
      deadline: now() + (deps.followForMs ?? DEFAULT_FOLLOW_MS),
      now,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
  } catch (error) {
    return settle(deps, run, audit, {
      state: "interrupted",
      finishedAt: now(),
      error: `The portal lost track of the backup (${job}): ${inWords(error)} The HSM may still complete it.`,
    });
  }
  if (ended.status === "InProgress")
    return settle(deps, run, audit, {
      state: "failed",
      finishedAt: now(),
      error: `The backup (${job}) did not end within ${Math.round((deps.followForMs ?? DEFAULT_FOLLOW_MS) / 60_000)} minutes; the portal stopped following it.`,
    });
  // The HSM stamps the end in whole seconds: never before the portal started the run.
  const finishedAt = Math.max(run.startedAt ?? 0, ended.finishedAt ?? now());
  if (ended.status === "Failed")
    return settle(deps, run, audit, {
      state: "failed",
      finishedAt,
      error: `The HSM reports that the backup failed: ${ended.error?.message ?? ended.statusDetails ?? "it gave no reason"}`,
    });
  if (!ended.folderUrl)
    return settle(deps, run, audit, {
      state: "failed",
      finishedAt,
      error: `The HSM reports that the backup (${job}) succeeded, but names no folder.`,
    });

  let catalogue: Catalogue | null = null;
  let catalogueProblem: string | null = null;
  try {
    await deps.refreshMirror(handle, run);
    catalogue = await readCatalogue(deps.db, handle, {
      endedAt: ended.finishedAt,
      versionReads: deps.versionReads ?? DEFAULT_VERSION_READS,
    });
  } catch (error) {
    catalogueProblem = inWords(error);
  }
  return settle(
    deps,
    run,
    audit,
    {
      state: "succeeded",
      finishedAt,
      folderUrl: ended.folderUrl,
      cataloguedAt: catalogue ? now() : null,
      error: catalogueProblem
        ? `The backup succeeded, but its catalogue could not be written: ${catalogueProblem}`
        : null,
    },
    catalogue,
  );
}
