import "server-only";

import { sql } from "kysely";

import type { AuditContext } from "@/lib/audit/types";
import { applicationTokenSource, type TokenSource } from "@/lib/auth/credentials";
import { getMsal } from "@/lib/auth/msal";
import type { Catalogue } from "@/lib/backup/catalogue";
import {
  catalogueOf,
  backupsHoldingKey as holdingKey,
  type BackupHoldingKey,
} from "@/lib/backup/catalogue-store";
import { mirrorRefresher, type BackupDeps, type BackupTarget } from "@/lib/backup/deps";
import { resumeRuns } from "@/lib/backup/resume";
import { startBackupRun } from "@/lib/backup/runner";
import { getBackupRun, runOf, type BackupRun } from "@/lib/backup/runs";
import { listSchedules, type BackupSchedule } from "@/lib/backup/schedules";
import { getDb, type Db } from "@/lib/db/client";
import type { BackupRunState } from "@/lib/db/schema/backup/table";
import { getEnv } from "@/lib/env";
import { LOCAL_BACKUP_CONTAINER } from "@/lib/env-variables-backup";
import { AppError } from "@/lib/errors";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { AZURITE_DEV_ACCOUNT } from "@/lib/local-azurite";
import { getLogger } from "@/lib/log/logger";
import { azuriteContainer } from "@/lib/storage/append-only-container";
import { backupContainer, type ContainerAccess } from "@/lib/storage/backup-container";

/*
 * The backups as the routes and pages use them, with no permission checks (the caller checks
 * backups.read / backups.run): "Back up now", the run history, one run, its catalogue, and the
 * backups that hold a key. createBackupService works on any BackupDeps (the tests pass their
 * own); the functions exported below use the portal's, built from the environment.
 */

export interface RunFilter {
  hsm?: string;
  outcome?: BackupRunState;
  /** At most this many runs (default 50). */
  limit?: number;
}

export interface RunCatalogue {
  run: BackupRun;
  catalogue: Catalogue;
}

export interface BackupService {
  /**
   * Starts a manual backup of `hsm` as `audit.actor` and answers with the run as recorded
   * (running); it goes on in the background and settles on its own. 404 for an HSM this portal
   * does not know, 409 (saying since when) while a backup of it runs, 503 with no container.
   */
  backUpNow(audit: AuditContext, hsm: string): Promise<BackupRun>;
  /** Runs, newest first (by start, or by scheduled time for a missed one); 404 for an unknown HSM. */
  listRuns(filter?: RunFilter): Promise<BackupRun[]>;
  /** One run; 404 when there is none. */
  getRun(id: string): Promise<BackupRun>;
  /**
   * What a good backup holds: its keys (only those whose name contains `key`, in any case,
   * when given) with their versions, and the access it recorded. 404, saying why, for an
   * unknown run and for a run without a catalogue (not succeeded, or its folder deleted).
   */
  runCatalogue(id: string, filter?: { key?: string }): Promise<RunCatalogue>;
  /**
   * The good backups, folders still there, that hold the key `name` (any case), newest first;
   * empty when none does, 404 for an unknown HSM.
   */
  backupsHoldingKey(hsm: string, name: string): Promise<BackupHoldingKey[]>;
}

export const DEFAULT_RUN_LIMIT = 50;

/** Where the service says what happened to a run nobody awaits (the portal's logger). */
export interface BackupLog {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

function noCatalogueBecause(run: BackupRun): string {
  if (run.state === "running")
    return `Backup run ${run.id} is still running; its catalogue is written when it ends.`;
  if (run.state !== "succeeded")
    return `Backup run ${run.id} ${run.state === "missed" ? "was missed" : `ended ${run.state}`}, so it holds nothing.`;
  if (run.folderDeletedAt !== null)
    return `The folder of backup run ${run.id} was deleted by retention on ${new Date(run.folderDeletedAt).toISOString()}, so its catalogue was dropped.`;
  return `Backup run ${run.id} has no catalogue: it could not be read when the backup ended (see the run's error).`;
}

export function createBackupService(deps: BackupDeps, log: BackupLog): BackupService {
  const { db } = deps;
  // handleOf names an unknown HSM in a 404 of its own.
  const assertKnownHsm = (hsm: string) => void deps.handleOf(hsm);
  const getRun = async (id: string) => {
    const run = await getBackupRun(db, id);
    if (!run) throw new AppError("not_found", `There is no backup run ${id}.`);
    return run;
  };

  return {
    async backUpNow(audit, hsm) {
      assertKnownHsm(hsm);
      const { run, done } = await startBackupRun(
        deps,
        { hsm, trigger: "manual", actor: audit.actor, requestId: audit.requestId },
        { onRecorded: audit.onRecorded },
      );
      log.info({ run: run.id, hsm }, "backup started");
      // Nobody awaits the run: its outcome is recorded with the run, and said here.
      done.then(
        (settled) =>
          log.info(
            { run: settled.id, hsm, state: settled.state, error: settled.error },
            "backup ended",
          ),
        (error: unknown) =>
          log.error({ run: run.id, hsm, error: (error as Error)?.message }, "backup failed"),
      );
      return run;
    },

    async listRuns({ hsm, outcome, limit = DEFAULT_RUN_LIMIT } = {}) {
      if (hsm !== undefined) assertKnownHsm(hsm);
      const rows = await db
        .selectFrom("backup_run")
        .selectAll()
        .$if(hsm !== undefined, (q) => q.where("hsm", "=", hsm!))
        .$if(outcome !== undefined, (q) => q.where("state", "=", outcome!))
        .orderBy(sql`coalesce(started_at, scheduled_for, created_at)`, (ob) => ob.desc())
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map(runOf);
    },

    getRun,

    async runCatalogue(id, { key } = {}) {
      const run = await getRun(id);
      const catalogue = await catalogueOf(db, id, key);
      if (!catalogue) throw new AppError("not_found", noCatalogueBecause(run));
      return { run, catalogue };
    },

    async backupsHoldingKey(hsm, name) {
      assertKnownHsm(hsm);
      return holdingKey(db, hsm, name);
    },
  };
}

let portalTokens: TokenSource | undefined;

/** How the portal reaches the backup container: Azurite's account locally, its identity in Azure. */
function containerAccess(): ContainerAccess {
  if (getEnv().mode === "local")
    return {
      kind: "account-key",
      accountName: AZURITE_DEV_ACCOUNT.name,
      accountKey: AZURITE_DEV_ACCOUNT.key,
    };
  // One token source, so that MSAL's cache serves every run's user delegation key.
  portalTokens ??= applicationTokenSource(getMsal());
  return { kind: "user-delegation", tokens: portalTokens };
}

/** The configured container of on-demand backups, for every HSM. */
function manualTarget(): BackupTarget {
  const { containerUrl, auth } = getEnv().backup;
  if (!containerUrl)
    throw new AppError(
      "unavailable",
      "No backup container is configured: set KEYWARD_BACKUP_CONTAINER_URL (see the configuration reference).",
    );
  return { container: backupContainer(containerUrl, containerAccess()), auth };
}

let localContainer: ReturnType<typeof azuriteContainer> | undefined;

/**
 * Locally, the launcher's Azurite starts empty: the default container is created on first use.
 * A failure is only logged; the run's pre-check then says the container is missing.
 */
async function ensureLocalContainer(): Promise<void> {
  const env = getEnv();
  if (env.mode !== "local") return;
  if (env.backup.containerUrl !== `${env.azurite.blobEndpoint}/${LOCAL_BACKUP_CONTAINER}`) return;
  localContainer ??= azuriteContainer(env.azurite.blobEndpoint, LOCAL_BACKUP_CONTAINER);
  await localContainer.ensureExists().catch((error: unknown) => {
    getLogger().error(
      { error: (error as Error).message },
      "the local backup container could not be created",
    );
  });
}

/** A schedule's runs go to the schedule's container, reached as the schedule says. */
export function scheduleTarget(schedule: BackupSchedule): BackupTarget {
  return { container: backupContainer(schedule.container, containerAccess()), auth: schedule.auth };
}

/**
 * Where each run's backup is, as the portal's schedules stand now: a schedule's container, or
 * the on-demand one for manual and safety runs. A schedule deleted since its run answers with
 * the on-demand container; a restore then finds the run's container among neither and says so.
 */
export async function portalTargets(db: Db): Promise<BackupDeps["targetOf"]> {
  const schedules = await listSchedules(db);
  return (hsm, scheduleName) => {
    const schedule = schedules.find((s) => s.hsm === hsm && s.name === scheduleName);
    return schedule ? scheduleTarget(schedule) : manualTarget();
  };
}

/**
 * The portal's BackupDeps: its database, its HSM connections, the mirror refreshed with the sync
 * settings, and `targetOf` — by default the configured container of on-demand backups.
 */
export function portalBackupDeps(
  db: Db,
  targetOf: BackupDeps["targetOf"] = manualTarget,
): BackupDeps {
  return {
    db,
    handleOf: portalHsmOrThrow,
    targetOf,
    refreshMirror: mirrorRefresher(db, { concurrency: getEnv().hsmConcurrency }),
  };
}

export async function backupDeps(targetOf?: BackupDeps["targetOf"]): Promise<BackupDeps> {
  return portalBackupDeps(await getDb(), targetOf);
}

/**
 * At start-up: follows to their end the runs a stopped portal left running (or marks them
 * interrupted). Runs in the background; a failure is logged and never stops the portal.
 */
export async function resumeBackupRuns(): Promise<void> {
  const log = getLogger();
  try {
    const { settled, leftToOthers } = await resumeRuns(await backupDeps());
    if (settled.length > 0 || leftToOthers.length > 0)
      log.info(
        {
          settled: settled.map((run) => ({ run: run.id, hsm: run.hsm, state: run.state })),
          leftToOthers,
        },
        "resumed backup runs",
      );
  } catch (error) {
    log.error({ error: (error as Error)?.message }, "resuming backup runs failed");
  }
}

async function portalService(): Promise<BackupService> {
  return createBackupService(await backupDeps(), getLogger());
}

export const backUpNow: BackupService["backUpNow"] = async (audit, hsm) => {
  await ensureLocalContainer();
  return (await portalService()).backUpNow(audit, hsm);
};
export const listRuns: BackupService["listRuns"] = async (filter) =>
  (await portalService()).listRuns(filter);
export const getRun: BackupService["getRun"] = async (id) => (await portalService()).getRun(id);
export const runCatalogue: BackupService["runCatalogue"] = async (id, filter) =>
  (await portalService()).runCatalogue(id, filter);
export const backupsHoldingKey: BackupService["backupsHoldingKey"] = async (hsm, name) =>
  (await portalService()).backupsHoldingKey(hsm, name);
