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

/*
 * When the portal anchors its audit log: at start-up, every KEYWARD_AUDIT_CHECKPOINT_MINUTES and
 * at shutdown (SIGTERM or SIGINT). `next start` would exit as soon as its server has closed,
 * before the checkpoint is written, so the launcher and `npm start` run it with
 * NEXT_MANUAL_SIG_HANDLE: Next then leaves the signals to this module, which writes the
 * checkpoint (for at most 5 s) and then lets the signal stop the process. Run without it, the
 * shutdown checkpoint is best effort, and the next start-up signs the head anyway.
 */

type Trigger = "startup" | "schedule" | "shutdown";

const SHUTDOWN_WAIT_MS = 5_000;

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

function onShutdown(signal: NodeJS.Signals): void {
  const done = Promise.race([
    checkpoint("shutdown"),
    new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref()),
  ]);
  // Next installs its own handlers and exits by itself; were this the only one, the signal
  // would no longer stop the process, so pass it on once the checkpoint is done.
  if (process.listenerCount(signal) === 0) void done.then(() => process.kill(process.pid, signal));
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
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, onShutdown);
}
