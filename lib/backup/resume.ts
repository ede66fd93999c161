import "server-only";

import { systemActor } from "@/lib/audit/types";
import {
  inWords,
  RUN_LEASE_TTL_MS,
  runLease,
  type BackupDeps,
  type RunAudit,
} from "@/lib/backup/deps";
import { getBackupRun, runningRuns, type BackupRun } from "@/lib/backup/runs";
import { followToEnd, settle } from "@/lib/backup/settle";
import { withLease } from "@/lib/db/lease";
import { readOperation } from "@/lib/hsm/backup";

/*
 * Runs a stopped portal left 'running'. A run whose status URL was kept is followed to its end,
 * as if the portal had never stopped; one without (the portal stopped between claiming it and
 * keeping the HSM's answer) cannot be followed and becomes 'interrupted'. A run whose lease is
 * held belongs to a live instance and is left to it, so several instances may call this at
 * start-up, and the scheduler may call it again later for runs whose lease had not yet expired.
 */

const RESUMER: RunAudit = { actor: systemActor("backup resume"), requestId: null };

async function resumeOne(deps: BackupDeps, run: BackupRun): Promise<BackupRun> {
  const now = deps.now ?? Date.now;
  const interrupted = (error: string) =>
    settle(deps, run, RESUMER, { state: "interrupted", finishedAt: now(), error });
  if (!run.statusUrl)
    return interrupted(
      "The portal stopped while starting this backup, before it kept the HSM's answer; the run cannot be followed.",
    );
  try {
    const handle = deps.handleOf(run.hsm);
    const operation = await readOperation(handle, run.statusUrl);
    return await followToEnd(deps, handle, run, operation, RESUMER);
  } catch (error) {
    return interrupted(
      `The portal restarted and could not read the backup's status (job ${run.jobId}): ${inWords(error)}`,
    );
  }
}

export interface ResumeOutcome {
  /** The runs this instance settled, as they now stand. */
  settled: BackupRun[];
  /** Runs another live instance is driving. */
  leftToOthers: string[];
}

export async function resumeRuns(deps: BackupDeps): Promise<ResumeOutcome> {
  const outcome: ResumeOutcome = { settled: [], leftToOthers: [] };
  await Promise.all(
    (await runningRuns(deps.db)).map(async (run) => {
      const leased = await withLease(
        runLease(run.hsm),
        RUN_LEASE_TTL_MS,
        async () => {
          // Read again under the lease: the instance that held it may have settled it meanwhile.
          const current = await getBackupRun(deps.db, run.id);
          return current?.state === "running" ? resumeOne(deps, current) : null;
        },
        { db: deps.db },
      );
      if (!leased.acquired) outcome.leftToOthers.push(run.id);
      else if (leased.value) outcome.settled.push(leased.value);
    }),
  );
  return outcome;
}
