import "server-only";

import type { AuditActor } from "@/lib/audit/types";
import type { BackupRun } from "@/lib/backup/runs";
import type { Db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import type { BackupContainer } from "@/lib/storage/backup-container";
import { getRun } from "@/lib/sync/runs";
import { runSync, type SyncSettings } from "@/lib/sync/service";

/* What the backup service needs from the rest of the portal, passed in so that tests can drive it. */

/** Where an HSM's backups go, and how the HSM reaches the container. */
export interface BackupTarget {
  container: BackupContainer;
  /** "sas": the portal mints a SAS per run; "managed-identity": the HSM's own identity writes. */
  auth: "sas" | "managed-identity";
}

export interface BackupDeps {
  db: Db;
  handleOf: (hsm: string) => HsmHandle;
  /** The container of a schedule's backups, or the HSM's default one when no schedule is named. */
  targetOf: (hsm: string, scheduleName: string | null) => BackupTarget;
  /** Brings the HSM's mirror up to date before a good backup's catalogue is read from it. */
  refreshMirror: (handle: HsmHandle, run: BackupRun) => Promise<void>;
  now?: () => number;
  /** How long a run follows its operation before giving up on it (default 6 hours). */
  followForMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Key version lists read at once for the catalogue (default DEFAULT_VERSION_READS). */
  versionReads?: number;
}

/**
 * The catalogue reads one version list per key, so at 4 at a time they were three quarters of
 * a 5,000-key run (60 s in bench/backup.ts at 20 ms per call); 16 keeps the run well under a
 * minute and leaves half of the HSM handle's default concurrency (32) to other work.
 */
export const DEFAULT_VERSION_READS = 16;

/** Who a run's audit events name, and the HTTP request that asked for it. */
export interface RunAudit {
  actor: AuditActor;
  requestId: string | null;
}

/** The run's lease: held by the instance that drives a run of this HSM, from claim to settling. */
export const runLease = (hsm: string) => `backup:${hsm}`;
export const RUN_LEASE_TTL_MS = 60_000;

export function inWords(error: unknown): string {
  return isAppError(error)
    ? error.message
    : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * A refresher that runs an incremental sync of the HSM (the engine re-reads every key whose
 * `updated` changed, and the HSM-wide assignments and roles). A sync already running holds the
 * HSM's sync lease: wait for it and sync again, since it may have read the HSM before the backup.
 */
export function mirrorRefresher(
  db: Db,
  settings: SyncSettings,
  options: { waitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): BackupDeps["refreshMirror"] {
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const waitMs = options.waitMs ?? 5 * 60_000;
  return async (handle, run) => {
    const giveUpAt = Date.now() + waitMs;
    for (;;) {
      const runId = await runSync(
        db,
        handle,
        {
          kind: "incremental",
          // Not "schedule": the sync schedule's interval does not bind a scheduled backup's refresh.
          trigger: run.trigger === "manual" ? "manual" : "backup",
          requestedBy: run.requestedBy?.id ?? null,
        },
        settings,
      );
      if (runId) {
        const sync = await getRun(db, runId);
        if (sync?.status === "failed")
          throw new AppError("upstream_failed", `the mirror could not be refreshed: ${sync.error}`);
        return;
      }
      if (Date.now() >= giveUpAt)
        throw new AppError("unavailable", "another sync of the HSM kept running; gave up waiting");
      await sleep(2_000);
    }
  };
}
