import "server-only";

import {
  CHECKPOINT_LEASE_TTL_MS,
  runCheckpoint,
  type CheckpointOutcome,
} from "@/lib/audit/checkpoint-job";
import { portalCheckpointContainer } from "@/lib/audit/checkpoints";
import { getAuditKeys } from "@/lib/audit/signing-key";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log/logger";
import { beforeShutdown } from "@/lib/shutdown";

/*
 * When the portal anchors its audit log: at start-up, every KEYWARD_AUDIT_CHECKPOINT_MINUTES and
 * at shutdown (SIGTERM or SIGINT). Next's server would exit as soon as it has closed,
 * before the checkpoint is written, so the launcher and `npm start` run it with
 * NEXT_MANUAL_SIG_HANDLE, and lib/shutdown.ts writes it (for at most 5 s) before the signal stops
 * the process. Run without it, the shutdown checkpoint is best effort, and the next start-up
 * signs the head anyway.
 */

type Trigger = "startup" | "schedule" | "shutdown";

let running: Promise<void> | undefined;

function logOutcome(outcome: CheckpointOutcome, trigger: Trigger): void {
  const log = getLogger();
  if (outcome.status === "written")
    log.info({ seq: outcome.seq, blob: outcome.name, trigger }, "audit checkpoint written");
  else log.debug({ ...outcome, trigger }, "audit checkpoint not needed");
}

async function checkpointOnce(trigger: Trigger): Promise<void> {
  try {
    const outcome = await runCheckpoint({
      db: await getDb(),
      store: portalCheckpointContainer(),
      signer: (await getAuditKeys()).signer,
    });
    logOutcome(outcome, trigger);
    // Held at start-up: most often by this portal's previous process, stopped during its
    // shutdown run. Try again once that lease has expired rather than wait for the interval.
    if (outcome.status === "busy" && trigger === "startup")
      setTimeout(() => void checkpoint("schedule"), CHECKPOINT_LEASE_TTL_MS + 1_000).unref();
  } catch (error) {
    // The message only: a storage error's cause carries the request and its headers.
    getLogger().warn(
      { trigger, reason: (error as Error).message },
      "audit checkpoint failed; the log is not anchored until a later run succeeds",
    );
  }
}

/** Runs the job unless a run of this process is under way (then waits for that one). */
function checkpoint(trigger: Trigger): Promise<void> {
  running ??= checkpointOnce(trigger).finally(() => (running = undefined));
  return running;
}

export function startCheckpointJob(): void {
  const env = getEnv();
  const log = getLogger();
  const minutes = env.audit.checkpointMinutes;
  if (minutes === 0) {
    log.warn(
      "audit checkpoints are off (KEYWARD_AUDIT_CHECKPOINT_MINUTES=0): the audit log is not anchored outside the database",
    );
    return;
  }
  void checkpoint("startup");
  setInterval(() => void checkpoint("schedule"), minutes * 60_000).unref();
  beforeShutdown(() => checkpoint("shutdown"));
}
