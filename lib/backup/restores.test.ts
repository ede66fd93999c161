import path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { freePort } from "@keyward/local-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditActor } from "@/lib/audit/types";
import { mirrorRefresher, type BackupDeps } from "@/lib/backup/deps";
import type { RestoreDeps } from "@/lib/backup/restore-execution";
import { runsNamedByOpenRestores } from "@/lib/backup/restore-state";
import { runBackup } from "@/lib/backup/runner";
import type { BackupRun } from "@/lib/backup/runs";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { isAppError } from "@/lib/errors";
import { folderName, followOperation, startFullRestore, startKeyRestore } from "@/lib/hsm/backup";
import type { HsmHandle } from "@/lib/hsm/handle";
import { findKey } from "@/lib/hsm/key-writes";
import { ITEM_CLAIM_MS } from "@/lib/requests/executor";
import { fileRequest, type FilingInput } from "@/lib/requests/filing";
import { requestDetail } from "@/lib/requests/store";
import {
  approver,
  audit,
  grantPortalRoles,
  portalHandle,
  REQUESTER,
  requestHarness,
  type RequestHarness,
} from "@/lib/requests/testing/fixture";
import { backupContainer } from "@/lib/storage/backup-container";
import { refreshKey, runSync } from "@/lib/sync/service";
import { AZURITE_ACCOUNT, startAzurite } from "@/scripts/lib/azurite";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * Restores as change requests against the emulator and Azurite with the real SDKs, on SQLite
 * and (when TEST_DATABASE_URL is set) PostgreSQL: a purged key back with all its versions, the
 * refusals at filing, a key that reappeared before execution (stale, nothing written), a full
 * restore after its safety backup, and an executor that resumes a restore whose operation had
 * started follows that operation instead of starting a second one.
 */

const dialects = availableDialects();
const KIM: AuditActor = { type: "user", id: REQUESTER.id, name: REQUESTER.name };
const access = {
  kind: "account-key",
  accountName: AZURITE_ACCOUNT.name,
  accountKey: AZURITE_ACCOUNT.key,
} as const;
/** Past Managed HSM's 30 minutes between a backup and its full restore. */
const HALF_HOUR_LATER = 31 * 60_000;
let stack: TestStack;
let azurite: { endpoint: string; stop: () => Promise<void> };

beforeAll(async () => {
  stack = await startTestStack(
    dialects.map((d) => ({ name: `restores-${d}`, region: "West Europe" })),
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `restores-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
  azurite = await startAzurite(await freePort(), path.join(stack.dataDir, "azurite-restores"));
  const blobs = new BlobServiceClient(
    azurite.endpoint,
    new StorageSharedKeyCredential(access.accountName, access.accountKey),
  );
  for (const d of dialects) await blobs.getContainerClient(`restores-${d}`).create();
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
  await stack?.close();
});

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

async function versionsOf(handle: HsmHandle, name: string): Promise<string[]> {
  const versions: string[] = [];
  for await (const v of handle.background.keys.listPropertiesOfKeyVersions(name))
    versions.push(v.version!);
  return versions.sort();
}

/** The job id of the restore operation an item recorded. */
const jobOf = (after: unknown) => (after as { operation?: { jobId?: string } }).operation?.jobId;

async function deleteAndPurge(handle: HsmHandle, name: string): Promise<void> {
  const { keys } = handle.background;
  await (await keys.beginDeleteKey(name)).pollUntilDone();
  await keys.purgeDeletedKey(name);
}

describe.each(dialects)("restores on %s", (dialect) => {
  const hsm = `restores-${dialect}`;
  const containerUrl = () => `${azurite.endpoint}/restores-${dialect}`;
  const justification = "Restore for the integration test";
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let h: RequestHarness;
  let backups: BackupDeps;
  let run: BackupRun;
  let ledgerVersions: string[];

  const state = async (id: string) => (await requestDetail(db, id))!;
  /** Files as if `laterMs` from now (the backup then older than it is), returning the id. */
  const file = async (input: Omit<FilingInput, "hsm" | "justification">, laterMs = 0) =>
    (
      await fileRequest(
        { db, handleOf: () => handle, sealKeys: [h.sealKey], now: () => Date.now() + laterMs },
        REQUESTER,
        { ...input, hsm, justification },
        audit("request.file"),
      )
    ).request.id;
  const approve = async (id: string) => {
    const { approvalsRequired } = await state(id);
    for (let n = 1; n <= approvalsRequired; n += 1) await h.decide(id, "approve", approver(n));
  };
  const safetyRuns = async () =>
    db
      .selectFrom("backup_run")
      .select(["id", "state"])
      .where("hsm", "=", hsm)
      .where("trigger", "=", "safety")
      .orderBy("created_at")
      .execute();

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(stack, hsm);
    h = requestHarness(db, stack, hsm, handle);
    backups = {
      db,
      handleOf: () => handle,
      targetOf: () => ({ container: backupContainer(containerUrl(), access), auth: "sas" }),
      refreshMirror: mirrorRefresher(db, { concurrency: 8 }),
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
    ledgerVersions = await versionsOf(handle, "ledger");
    expect(ledgerVersions).toHaveLength(2);
    run = await runBackup(backups, { hsm, trigger: "manual", actor: KIM });
    expect(run.state).toBe("succeeded");
    expect(run.cataloguedAt).not.toBeNull();
  }, 120_000);
  afterAll(() => database.dispose());

  it("refuses, in words, a key that exists live or deleted, and a key the backup does not hold", async () => {
    const live = await refusal(
      file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] }),
    );
    expect(live).toMatchObject({ code: "conflict" });
    expect(live.message).toMatch(/^Key ledger exists in HSM restores-/);

    await (await handle.background.keys.beginDeleteKey("ledger")).pollUntilDone();
    const deleted = await refusal(
      file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] }),
    );
    expect(deleted.message).toMatch(
      /^Key ledger exists \(deleted, recoverable until .+\) — recover it instead or purge it first\.$/,
    );
    await handle.background.keys.purgeDeletedKey("ledger");

    const unknown = await refusal(
      file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "never-there" }] }),
    );
    expect(unknown).toMatchObject({ code: "not_found" });
    expect(unknown.message).toMatch(/does not hold a key named never-there/);
  });

  it("restores a purged key with all its versions, read back from the HSM", async () => {
    const id = await file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] });
    expect((await state(id)).approvalsRequired).toBe(1);
    await approve(id);
    expect(await h.execute()).toContain(id);
    const done = await state(id);
    expect(done.state).toBe("executed");
    expect(done.items[0]).toMatchObject({
      state: "executed",
      after: { refresh: "the mirror was refreshed" },
    });
    expect(jobOf(done.items[0]!.after)).toMatch(/\S/);
    expect(await versionsOf(handle, "ledger")).toEqual(ledgerVersions);
    const mirrored = await db
      .selectFrom("inventory_key")
      .select(["name", "deleted_at"])
      .where("hsm", "=", hsm)
      .where("name_lower", "=", "ledger")
      .executeTakeFirst();
    expect(mirrored).toEqual({ name: "ledger", deleted_at: null });
  });

  it("ends stale and writes nothing when the key reappeared after approval", async () => {
    await deleteAndPurge(handle, "ephemeral");
    const id = await file({
      kind: "restore.key",
      items: [{ backupRunId: run.id, key: "ephemeral" }],
    });
    await approve(id);
    await handle.background.keys.createEcKey("ephemeral", { hsm: true, curve: "P-384" });
    const reappeared = await versionsOf(handle, "ephemeral");
    expect(await h.execute()).toContain(id);
    const done = await state(id);
    expect(done.items[0]).toMatchObject({ state: "stale" });
    expect(done.items[0]!.error).toMatch(
      /key ephemeral exists in HSM .+ again; nothing was restored/,
    );
    expect(await versionsOf(handle, "ephemeral")).toEqual(reappeared);
    expect((await handle.background.keys.getKey("ephemeral")).keyType).toBe("EC-HSM");
  });

  it("refuses a full restore from a backup younger than 30 minutes, saying when it becomes possible", async () => {
    const young = await refusal(file({ kind: "restore.full", items: [{ backupRunId: run.id }] }));
    expect(young).toMatchObject({ code: "conflict" });
    expect(young.message).toMatch(/only once it is 30 minutes old: file this restore from /);
  });

  it("takes a safety backup, then restores the whole HSM and refreshes the mirror", async () => {
    await handle.background.keys.createEcKey("after-backup", { hsm: true, curve: "P-256" });
    await runSync(db, handle, { kind: "full", trigger: "manual" }, { concurrency: 8 });
    const mirroredAfterBackup = () =>
      db
        .selectFrom("inventory_key")
        .select("deleted_at")
        .where("hsm", "=", hsm)
        .where("name_lower", "=", "after-backup")
        .executeTakeFirst();
    expect(await mirroredAfterBackup()).toEqual({ deleted_at: null });
    const before = await safetyRuns();
    const id = await file(
      { kind: "restore.full", items: [{ backupRunId: run.id }] },
      HALF_HOUR_LATER,
    );
    expect((await state(id)).approvalsRequired).toBe(2);
    await approve(id);
    expect(await h.execute()).toContain(id);
    const done = await state(id);
    expect(done.state).toBe("executed");
    const safety = (await safetyRuns()).slice(before.length);
    expect(safety.map((r) => r.state)).toEqual(["succeeded"]);
    expect(done.items[0]!.after).toMatchObject({
      safetyRunId: safety[0]!.id,
      refresh: "the mirror was refreshed",
    });
    expect(jobOf(done.items[0]!.after)).toMatch(/\S/);
    expect(await findKey(handle, "after-backup", "background")).toBeNull();
    expect(await versionsOf(handle, "ledger")).toEqual(ledgerVersions);
    // Gone from the mirror too: the full refresh found it no longer in the HSM.
    expect(await mirroredAfterBackup()).toBeUndefined();
  });

  it("follows the recorded restore after a restart instead of starting a second one", async () => {
    const id = await file(
      { kind: "restore.full", items: [{ backupRunId: run.id }] },
      HALF_HOUR_LATER,
    );
    await approve(id);
    // What an executor killed mid-restore leaves: its safety run, the operation it started.
    const safety = await runBackup(backups, { hsm, trigger: "safety", actor: h.deps.actor });
    const container = backupContainer(containerUrl(), access);
    const operation = await startFullRestore(
      handle,
      { containerUrl: container.url, sasToken: await container.mintSas(Date.now()) },
      folderName(run.folderUrl!),
    );
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
        result: JSON.stringify({
          safetyRunId: safety.id,
          operation: { jobId: operation.jobId, statusUrl: operation.statusUrl },
        }),
      })
      .where("request_id", "=", id)
      .execute();
    const runsBefore = await safetyRuns();

    expect(await h.execute(ITEM_CLAIM_MS + 1_000)).toContain(id);
    const done = await state(id);
    expect(done.state).toBe("executed");
    expect(done.items[0]).toMatchObject({
      attempts: 2,
      after: { safetyRunId: safety.id, operation: { jobId: operation.jobId } },
    });
    expect(await safetyRuns()).toEqual(runsBefore);
  });

  /** What an executor killed mid-restore leaves: the request and its item executing, and what it recorded. */
  async function leftExecuting(id: string, recorded: unknown): Promise<void> {
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
  }

  it("takes a resumed key restore whose recorded operation brought the key back as done", async () => {
    await deleteAndPurge(handle, "ledger");
    const id = await file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] });
    await approve(id);
    const container = backupContainer(containerUrl(), access);
    const started = await startKeyRestore(
      handle,
      { containerUrl: container.url, sasToken: await container.mintSas(Date.now()) },
      folderName(run.folderUrl!),
      "ledger",
    );
    const ended = await followOperation(handle, started, { deadline: Date.now() + 20_000 });
    expect(ended.status).toBe("Succeeded");
    await leftExecuting(id, {
      operation: { jobId: started.jobId, statusUrl: started.statusUrl },
    });

    expect(await h.execute(ITEM_CLAIM_MS + 1_000)).toContain(id);
    const done = await state(id);
    expect(done.items[0]).toMatchObject({
      state: "executed",
      after: { operation: { jobId: started.jobId }, confirmedByReadingBack: true },
    });
    expect(await versionsOf(handle, "ledger")).toEqual(ledgerVersions);
  });

  it("restores nothing when the safety backup fails, and says which run it was", async () => {
    await handle.background.keys.createEcKey("kept", { hsm: true, curve: "P-256" });
    const id = await file(
      { kind: "restore.full", items: [{ backupRunId: run.id }] },
      HALF_HOUR_LATER,
    );
    await approve(id);
    const saved = h.deps.restores!;
    const nowhere = backupContainer(`${azurite.endpoint}/no-such-${dialect}`, access);
    h.deps.restores = {
      ...saved,
      backups: { ...backups, targetOf: () => ({ container: nowhere, auth: "sas" }) },
    };
    try {
      expect(await h.execute()).toContain(id);
    } finally {
      h.deps.restores = saved;
    }
    const safety = (await safetyRuns()).at(-1)!;
    expect(safety.state).toBe("failed");
    const done = await state(id);
    expect(done.items[0]!.state).toBe("failed");
    expect(done.items[0]!.error).toMatch(
      new RegExp(
        `^the safety backup \\(run ${safety.id}\\) did not succeed: .+; nothing was restored$`,
      ),
    );
    expect(await findKey(handle, "kept", "background")).not.toBeNull();
  });

  it("names the runs of unsettled restores, whose folders retention must keep", async () => {
    expect(await runsNamedByOpenRestores(db, hsm)).toEqual(new Set());
    const id = await file(
      { kind: "restore.full", items: [{ backupRunId: run.id }] },
      HALF_HOUR_LATER,
    );
    expect(await runsNamedByOpenRestores(db, hsm)).toEqual(new Set([run.id]));
    await h.decide(id, "reject", approver(1));
    expect(await runsNamedByOpenRestores(db, hsm)).toEqual(new Set());
  });

  it("fails in words, restoring nothing, on a portal without backup storage", async () => {
    await deleteAndPurge(handle, "ledger");
    const id = await file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] });
    await approve(id);
    const saved = h.deps.restores;
    h.deps.restores = undefined;
    try {
      expect(await h.execute()).toContain(id);
    } finally {
      h.deps.restores = saved;
    }
    expect((await state(id)).items[0]).toMatchObject({
      state: "failed",
      error:
        "this portal instance has no backup storage configured, so it cannot restore; nothing was restored",
    });
    expect(await findKey(handle, "ledger", "background")).toBeNull();
  });
});
