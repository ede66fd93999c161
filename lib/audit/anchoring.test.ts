import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@keyward/local-https";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { GENESIS_HASH } from "@/lib/audit/chain";
import { checkpointBlobName } from "@/lib/audit/checkpoint-format";
import { runCheckpoint, type CheckpointDeps } from "@/lib/audit/checkpoint-job";
import { signCheckpoint } from "@/lib/audit/checkpoint-jws";
import { readCheckpointClaims } from "@/lib/audit/checkpoints";
import { auditKeysFromJwk, type AuditKeys } from "@/lib/audit/signing-key";
import { appendTestEvents, checkpointBlobNames } from "@/lib/audit/testing/checkpoint-chain";
import { verifyChain } from "@/lib/audit/verification";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import {
  azuriteContainer,
  StorageUnavailableError,
  type AppendOnlyContainer,
} from "@/lib/storage/append-only-container";
import { startAzurite } from "@/scripts/lib/azurite";

/*
 * Anchoring end to end on real parts: the chain in SQLite (and PostgreSQL when configured),
 * checkpoints signed with Ed25519 and written to Azurite through the Azure SDK, and the
 * verification that reads them back.
 */

let azurite: { endpoint: string; stop: () => Promise<void> };
let azuriteDir: string;
let keys: AuditKeys;
let containers = 0;

function newEd25519() {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  return { x: jwk.x!, d: jwk.d! };
}

beforeAll(async () => {
  azuriteDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-anchor-"));
  azurite = await startAzurite(await freePort(), azuriteDir);
  keys = await auditKeysFromJwk(newEd25519());
});

afterAll(async () => {
  await azurite?.stop();
  fs.rmSync(azuriteDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(availableDialects())("audit anchoring on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let store: AppendOnlyContainer;
  const deps = (): CheckpointDeps => ({ db, store, signer: keys.signer });
  const verify = async (trusted = keys.trusted) =>
    verifyChain(db, await readCheckpointClaims(store, trusted));

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database?.dispose();
  });
  afterEach(async () => {
    await db.deleteFrom("audit_event").execute();
    await db.updateTable("audit_head").set({ seq: 0, hash: GENESIS_HASH }).execute();
  });

  async function fresh() {
    db ??= await database.openMigrated();
    containers += 1;
    store = azuriteContainer(azurite.endpoint, `anchor-${dialect}-${containers}`);
  }

  it("signs the head, skips an unchanged head, and verifies", async () => {
    await fresh();
    expect(await runCheckpoint(deps())).toEqual({ status: "empty" });
    await appendTestEvents(db, 3, { actor: "anchoring test" });
    expect(await runCheckpoint(deps())).toMatchObject({ status: "written", seq: 3 });
    await appendTestEvents(db, 2, { actor: "anchoring test" });
    expect(await runCheckpoint(deps())).toMatchObject({ status: "written", seq: 5 });
    expect(await runCheckpoint(deps())).toEqual({ status: "already-signed", seq: 5 });
    expect(await checkpointBlobNames(store)).toHaveLength(2);

    const result = await verify();
    expect(result).toMatchObject({ ok: true, events: 5, checkpoints: 2, problems: [] });
    expect(result.lastCheckpoint?.seq).toBe(5);
  });

  it("names the first missing event when the tail was deleted", async () => {
    await fresh();
    await appendTestEvents(db, 5, { actor: "anchoring test" });
    await runCheckpoint(deps());
    // A careful attacker removes events 4 and 5 and puts the head back on event 3.
    const third = await db
      .selectFrom("audit_event")
      .select("hash")
      .where("seq", "=", 3)
      .executeTakeFirstOrThrow();
    await db.deleteFrom("audit_event").where("seq", ">", 3).execute();
    await db.updateTable("audit_head").set({ seq: 3, hash: third.hash }).execute();

    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        kind: "missing-tail",
        seq: 4,
        message: expect.stringContaining("events 4 to 5 are gone") as unknown,
      }),
    ]);
  });

  it("detects a chain rewritten consistently from genesis", async () => {
    await fresh();
    await appendTestEvents(db, 3, { actor: "anchoring test" });
    await runCheckpoint(deps());
    await db.deleteFrom("audit_event").execute();
    await db.updateTable("audit_head").set({ seq: 0, hash: GENESIS_HASH }).execute();
    await appendTestEvents(db, 4, { actor: "anchoring test", action: "test.rewritten" });

    const result = await verify();
    expect(result.problems.map((p) => [p.kind, p.seq])).toEqual([["checkpoint-mismatch", 3]]);
  });

  it("refuses a checkpoint forged with another key, and accepts a previous key's", async () => {
    await fresh();
    await appendTestEvents(db, 2, { actor: "anchoring test" });
    const head = await db.selectFrom("audit_head").selectAll().executeTakeFirstOrThrow();
    const other = await auditKeysFromJwk(newEd25519());
    const forged = await signCheckpoint({ seq: 2, hash: head.hash, at: Date.now() }, other.signer);
    await store.ensureExists();
    await store.create(checkpointBlobName(2, Date.now()), forged, "application/jose");

    const result = await verify();
    expect(result.problems).toEqual([
      expect.objectContaining({
        kind: "checkpoint-signature",
        seq: 2,
        message: expect.stringContaining(`signed by key ${other.signer.kid}`) as unknown,
      }),
    ]);
    // Once that key is listed as a previous key (KEYWARD_AUDIT_PREVIOUS_KEYS), it verifies.
    const [previous] = [...other.trusted.values()];
    const rotated = await auditKeysFromJwk(newEd25519(), [previous!.jwk]);
    expect(await verify(rotated.trusted)).toMatchObject({ ok: true, checkpoints: 1 });
  });

  it("reports an unreadable blob as a bad signature", async () => {
    await fresh();
    await appendTestEvents(db, 1, { actor: "anchoring test" });
    await store.ensureExists();
    await store.create(checkpointBlobName(1, Date.now()), "not a jws", "text/plain");
    const result = await verify();
    expect(result.problems.map((p) => [p.kind, p.seq])).toEqual([["checkpoint-signature", 1]]);
  });

  it("writes one checkpoint when two instances run the job at once", async () => {
    await fresh();
    await appendTestEvents(db, 2, { actor: "anchoring test" });
    // Slow writes, so that the two runs overlap and only the lease keeps them apart.
    const slow = (client: Db): CheckpointDeps => ({
      db: client,
      signer: keys.signer,
      store: {
        ...store,
        create: async (...args) => {
          await sleep(300);
          return store.create(...args);
        },
      },
    });
    const outcomes = await Promise.all([
      runCheckpoint(slow(db)),
      runCheckpoint(slow(database.open())),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["busy", "written"]);
    expect(await checkpointBlobNames(store)).toHaveLength(1);
  });

  it("never overwrites a blob", async () => {
    await fresh();
    await store.ensureExists();
    const name = checkpointBlobName(9, Date.UTC(2026, 0, 1));
    expect(await store.create(name, "first", "text/plain")).toBe("created");
    expect(await store.create(name, "second", "text/plain")).toBe("exists");
    expect((await store.read(name)).toString()).toBe("first");
  });
});

describe("unreachable checkpoint storage", () => {
  it("fails the read loudly instead of returning no checkpoints", async () => {
    const dead = azuriteContainer(`http://127.0.0.1:${await freePort()}/devstoreaccount1`, "gone");
    await expect(readCheckpointClaims(dead, keys.trusted)).rejects.toThrow(StorageUnavailableError);
    await expect(readCheckpointClaims(dead, keys.trusted)).rejects.toThrow(/ECONNREFUSED/);
  });
});
