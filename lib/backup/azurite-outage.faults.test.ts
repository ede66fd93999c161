import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { freePort } from "@keyward/local-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runCheckpoint, type CheckpointDeps } from "@/lib/audit/checkpoint-job";
import { readCheckpointClaims } from "@/lib/audit/checkpoints";
import { auditKeysFromJwk, type AuditKeys } from "@/lib/audit/signing-key";
import { appendTestEvents, checkpointBlobNames } from "@/lib/audit/testing/checkpoint-chain";
import { verifyChain } from "@/lib/audit/verification";
import { catalogueOf } from "@/lib/backup/catalogue-store";
import { runBackup } from "@/lib/backup/runner";
import { getBackupRun } from "@/lib/backup/runs";
import { BACKUP_ACCESS, backupDepsOn, heldByHsm, KIM } from "@/lib/backup/testing/backup-stack";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import type { HsmHandle } from "@/lib/hsm/handle";
import { grantPortalRoles, portalHandle } from "@/lib/requests/testing/fixture";
import { azuriteContainer, StorageUnavailableError } from "@/lib/storage/append-only-container";
import { backupContainer } from "@/lib/storage/backup-container";
import { startAzurite } from "@/scripts/lib/azurite";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * Azurite stopped in the middle of a backup run and of an audit checkpoint, then started again
 * on the same port and data: the run in trouble fails with its reason recorded, the next one
 * succeeds; the checkpoint that could not be written is thrown as a storage error naming what
 * failed, none written before is lost, the next one anchors the head, and the chain verifies.
 */

const dialects = availableDialects();
let stack: TestStack;
let keys: AuditKeys;

/** An Azurite of one database's tests, stopped and started again on the same port and data. */
async function ownStorage(name: string) {
  const port = await freePort();
  const location = path.join(stack.dataDir, `azurite-${name}`);
  let running: Awaited<ReturnType<typeof startAzurite>> | null = null;
  const storage = {
    endpoint: `http://127.0.0.1:${port}/devstoreaccount1`,
    start: async () => void (running = await startAzurite(port, location)),
    stop: async () => {
      await running?.stop();
      running = null;
    },
  };
  await storage.start();
  return storage;
}

beforeAll(async () => {
  stack = await startTestStack(
    dialects.map((d) => ({ name: `outage-${d}`, region: "West Europe" })),
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `outage-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  keys = await auditKeysFromJwk({ x: jwk.x!, d: jwk.d! });
}, 60_000);
afterAll(() => stack?.close());

describe.each(dialects)("Azurite stopped on %s", (dialect) => {
  const hsm = `outage-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let storage: Awaited<ReturnType<typeof ownStorage>>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(stack, hsm, { concurrency: 8 });
    await handle.background.keys.createEcKey("orders", { hsm: true });
    await handle.background.keys.createRsaKey("payments", { hsm: true, keySize: 2048 });
    storage = await ownStorage(dialect);
  }, 60_000);
  afterAll(async () => {
    await storage?.stop();
    await database?.dispose();
  });

  it("fails a backup run with its reason recorded, and the next run succeeds", async () => {
    await azuriteContainer(storage.endpoint, "backups").ensureExists();
    const containerUrl = `${storage.endpoint}/backups`;
    const deps = backupDepsOn(db, handle, containerUrl);
    const manual = { hsm, trigger: "manual" as const, actor: KIM };
    const real = deps.targetOf(hsm, null);
    // Azurite stops once the pre-check has found the container: the HSM then writes to nothing.
    const stopping = {
      ...deps,
      targetOf: () => ({
        ...real,
        container: {
          ...real.container,
          problem: async () => {
            const problem = await real.container.problem();
            await storage.stop();
            return problem;
          },
        },
      }),
    };
    let failed;
    try {
      failed = await runBackup(stopping, manual);
    } finally {
      await storage.start();
    }
    expect(failed.state).toBe("failed");
    expect(failed.error).toMatch(
      /^The HSM reports that the backup failed: Cannot reach the storage account: .*ECONNREFUSED/,
    );
    expect(await getBackupRun(db, failed.id)).toMatchObject({
      state: "failed",
      error: failed.error,
    });
    expect(await catalogueOf(db, failed.id)).toBeNull();
    const events = (
      await db.selectFrom("audit_event").selectAll().where("action", "=", "backup.run").execute()
    ).filter((e) => (JSON.parse(e.target) as { run?: string }).run === failed.id);
    expect(
      events.map((e) => [e.outcome, (JSON.parse(e.detail) as { error: string }).error]),
    ).toEqual([["failed", failed.error]]);

    const next = await runBackup(deps, manual);
    expect([next.state, next.error]).toEqual(["succeeded", null]);
    const catalogue = (await catalogueOf(db, next.id))!;
    expect(
      Object.fromEntries(
        catalogue.keys.map((k) => [k.name, k.versions.map((v) => v.version).sort()]),
      ),
    ).toEqual(await heldByHsm(handle));
    expect(await backupContainer(containerUrl, BACKUP_ACCESS).folders()).toContain(
      next.folderUrl!.split("/").at(-1),
    );
  });

  it("fails a checkpoint loudly, loses none, anchors the head next time, and verifies", async () => {
    const store = azuriteContainer(storage.endpoint, "keyward-audit");
    const deps: CheckpointDeps = { db, store, signer: keys.signer };
    await appendTestEvents(db, 3, { actor: "fault suite" });
    const first = await runCheckpoint(deps);
    expect(first).toMatchObject({ status: "written" });

    await appendTestEvents(db, 2, { actor: "fault suite" });
    // Azurite stops after the run has looked for a checkpoint of the head, before it writes one.
    const stopping: CheckpointDeps = {
      ...deps,
      store: {
        ...store,
        create: async (...args) => {
          await storage.stop();
          return store.create(...args);
        },
      },
    };
    let thrown: unknown;
    try {
      await runCheckpoint(stopping);
    } catch (error) {
      thrown = error;
    } finally {
      await storage.start();
    }
    expect(thrown).toBeInstanceOf(StorageUnavailableError);
    expect((thrown as Error).message).toMatch(
      /failed to write audit-checkpoints\/.*: ECONNREFUSED$/,
    );
    // Events keep coming while the log is not anchored; the next run signs the head they left.
    await appendTestEvents(db, 2, { actor: "fault suite" });
    const head = await db.selectFrom("audit_head").select("seq").executeTakeFirstOrThrow();
    const next = await runCheckpoint(deps);
    expect(next).toMatchObject({ status: "written", seq: head.seq });
    expect(await checkpointBlobNames(store)).toHaveLength(2);
    const claims = await readCheckpointClaims(store, keys.trusted);
    expect(claims.map((c) => c.seq)).toEqual([(first as { seq: number }).seq, head.seq]);
    expect(await verifyChain(db, claims)).toMatchObject({
      ok: true,
      events: head.seq,
      checkpoints: 2,
      problems: [],
    });
  });
});
