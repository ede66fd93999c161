import { afterAll, beforeAll, describe, expect } from "vitest";

import type { BackupDeps } from "@/lib/backup/deps";
import type { RestoreDeps } from "@/lib/backup/restore-execution";
import { runBackup } from "@/lib/backup/runner";
import type { BackupRun } from "@/lib/backup/runs";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type Dialect,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import type { HsmHandle } from "@/lib/hsm/handle";
import { ITEM_CLAIM_MS } from "@/lib/requests/executor";
import { fileRequest, type FilingInput } from "@/lib/requests/filing";
import { requestDetail } from "@/lib/requests/store";
import {
  approver,
  audit,
  portalHandle,
  REQUESTER,
  requestHarness,
  type RequestHarness,
} from "@/lib/requests/testing/fixture";
import type { RequestDetail } from "@/lib/requests/types";
import { refreshKey, runSync } from "@/lib/sync/service";

import { backupDepsOn, KIM, startBackupStack, versionsOf, type BackupStack } from "./backup-stack";

/*
 * What the restore tests stand on, per dialect: a migrated database, the request harness whose
 * executor restores through the real backup and sync code, an HSM holding `ledger` (two
 * versions) and `ephemeral`, and one good backup of it to restore from.
 */

/** Past Managed HSM's 30 minutes between a backup and its full restore. */
export const HALF_HOUR_LATER = 31 * 60_000;

export interface RestoreBed {
  hsm: string;
  /** Azurite's blob endpoint, for containers other than the bed's own. */
  blobEndpoint: string;
  containerUrl: string;
  database: TestDatabase;
  db: Db;
  handle: HsmHandle;
  h: RequestHarness;
  /** The executor's backup deps (the safety runs), polling at most every 200 ms. */
  backups: BackupDeps;
  /** The good backup the restores name. */
  run: BackupRun;
  /** `ledger`'s versions when the backup was taken. */
  ledgerVersions: string[];
  state: (id: string) => Promise<RequestDetail>;
  /** Files as if `laterMs` from now (the backup then older than it is), returning the id. */
  file: (input: Omit<FilingInput, "hsm" | "justification">, laterMs?: number) => Promise<string>;
  /** Approves with as many approvers as the request needs. */
  approve: (id: string) => Promise<void>;
  safetyRuns: () => Promise<{ id: string; state: string }[]>;
  /** What an executor killed mid-restore leaves: the request and its item executing, and what it recorded. */
  leftExecuting: (id: string, recorded: unknown) => Promise<void>;
}

/**
 * A restore test file's suite, once per dialect: the stack started for the file, each dialect's
 * bed on the HSM `${prefix}-${dialect}`; `tests` reads the bed through `bed()` once it stands.
 */
export function describeRestores(
  title: string,
  prefix: string,
  tests: (bed: () => RestoreBed, dialect: Dialect) => void,
): void {
  let env: BackupStack;
  beforeAll(async () => {
    env = await startBackupStack(prefix, (d) => [`${prefix}-${d}`]);
  }, 60_000);
  afterAll(() => env?.close());

  describe.each(availableDialects())(`${title} on %s`, (dialect) => {
    let bed: RestoreBed | undefined;
    beforeAll(async () => {
      bed = await restoreBed(env, dialect, `${prefix}-${dialect}`);
    }, 120_000);
    afterAll(() => bed?.database.dispose());
    tests(() => bed!, dialect);
  });
}

/** The bed on `hsm`, its backups in the container named as the HSM is. */
async function restoreBed(env: BackupStack, dialect: Dialect, hsm: string): Promise<RestoreBed> {
  const containerUrl = `${env.blobEndpoint}/${hsm}`;
  const justification = "Restore for the integration test";
  const database = await createTestDatabase(dialect);
  const db = await database.openMigrated();
  const handle = portalHandle(env.stack, hsm);
  const h = requestHarness(db, env.stack, hsm, handle);
  const backups: BackupDeps = {
    ...backupDepsOn(db, handle, containerUrl),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 200))),
  };
  const restores: RestoreDeps = {
    backups,
    refreshKey: async (target, name) => {
      await refreshKey(db, target, name, { trigger: "change" });
    },
    refreshAll: async (target) => {
      await runSync(db, target, { kind: "full", trigger: "manual" }, { concurrency: 8 });
    },
  };
  h.deps.restores = restores;

  const { keys } = handle.background;
  await keys.createEcKey("ledger", { hsm: true, curve: "P-256" });
  await keys.createEcKey("ledger", { hsm: true, curve: "P-256" });
  await keys.createRsaKey("ephemeral", { hsm: true, keySize: 2048 });
  const ledgerVersions = await versionsOf(handle, "ledger");
  expect(ledgerVersions).toHaveLength(2);
  const run = await runBackup(backups, { hsm, trigger: "manual", actor: KIM });
  expect(run.state).toBe("succeeded");
  expect(run.cataloguedAt).not.toBeNull();

  const state = async (id: string) => (await requestDetail(db, id))!;
  return {
    hsm,
    blobEndpoint: env.blobEndpoint,
    containerUrl,
    database,
    db,
    handle,
    h,
    backups,
    run,
    ledgerVersions,
    state,
    file: async (input, laterMs = 0) =>
      (
        await fileRequest(
          { db, handleOf: () => handle, sealKeys: [h.sealKey], now: () => Date.now() + laterMs },
          REQUESTER,
          { ...input, hsm, justification },
          audit("request.file"),
        )
      ).request.id,
    approve: async (id) => {
      const { approvalsRequired } = await state(id);
      for (let n = 1; n <= approvalsRequired; n += 1) await h.decide(id, "approve", approver(n));
    },
    safetyRuns: () =>
      db
        .selectFrom("backup_run")
        .select(["id", "state"])
        .where("hsm", "=", hsm)
        .where("trigger", "=", "safety")
        .orderBy("created_at")
        .execute(),
    leftExecuting: async (id, recorded) => {
      const now = Date.now();
      await db
        .updateTable("change_request")
        .set({ state: "executing" })
        .where("id", "=", id)
        .execute();
      await db
        .updateTable("change_request_item")
        .set({
          state: "executing",
          attempts: 1,
          started_at: now,
          claimed_until: now + ITEM_CLAIM_MS,
          result: JSON.stringify(recorded),
        })
        .where("request_id", "=", id)
        .execute();
    },
  };
}

/** The job id of the restore operation an item recorded. */
export const jobOf = (after: unknown) =>
  (after as { operation?: { jobId?: string } }).operation?.jobId;

export async function deleteAndPurge(handle: HsmHandle, name: string): Promise<void> {
  const { keys } = handle.background;
  await (await keys.beginDeleteKey(name)).pollUntilDone();
  await keys.purgeDeletedKey(name);
}
