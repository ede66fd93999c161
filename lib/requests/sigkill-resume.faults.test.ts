import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { clientSecretOf } from "@keyward/identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { ITEM_CLAIM_MS } from "@/lib/requests/executor";
import { requestDetail } from "@/lib/requests/store";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

import {
  approvedRequest,
  auditedExecutions,
  keysWithPolicy,
  setFaults,
  versionCounts,
} from "./testing/fault-kit";
import { grantPortalRoles, portalHandle, requestHarness } from "./testing/fixture";
import {
  removeWorkerBundle,
  startWaitingExecutor,
  type WaitingExecutor,
} from "./testing/waiting-executor";

/*
 * The executor killed (SIGKILL) ten times in a row at seeded random points of an execution of
 * three requests (two bulks of rotations, one of key creations with a rotation policy), and
 * resumed each time by a new process: every request ends once, every item is audited once,
 * and every key holds exactly the versions it should, as the HSM lists them to the real SDK.
 */

const dialects = availableDialects();
const KILLS = 10;
const SEED = 0x5eed_0018;
let stack: TestStack;

/** mulberry32: a small seeded generator, so that a failing sequence of kills can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  stack = await startTestStack(
    dialects.map((d) => ({ name: `killed-${d}`, region: "West Europe" })),
    { testMode: true },
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `killed-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
}, 60_000);
afterAll(async () => {
  await removeWorkerBundle();
  await stack?.close();
});

describe.each(dialects)("an executor killed ten times on %s", (dialect) => {
  const hsm = `killed-${dialect}`;
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
  }, 60_000);
  afterAll(() => database.dispose());

  /** Claims made so far on the requests' items: it grows once an executor is at work. */
  const claims = async (ids: string[]) =>
    Number(
      (
        await db
          .selectFrom("change_request_item")
          .select((eb) => eb.fn.sum<number | string>("attempts").as("n"))
          .where("request_id", "in", ids)
          .executeTakeFirstOrThrow()
      ).n ?? 0,
    );
  const unsettled = async (ids: string[]) =>
    (
      await db
        .selectFrom("change_request_item")
        .select("position")
        .where("request_id", "in", ids)
        .where("state", "in", ["pending", "executing"])
        .execute()
    ).length;

  it("ends every request once and leaves every key with exactly its versions", async ({
    annotate,
  }) => {
    const rotatedA = await keysWithPolicy(stack, hsm, "a", 40);
    const rotatedB = await keysWithPolicy(stack, hsm, "b", 40);
    const created = Array.from({ length: 40 }, (_, i) => `c-${String(i).padStart(3, "0")}`);
    const h = requestHarness(
      db,
      stack,
      hsm,
      portalHandle(stack, hsm),
      clientSecretOf(stack.directory, stack.secrets, LOCAL_TOOL_CLIENT_ID),
    );
    const policy = {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
      expiresIn: "P1Y",
    };
    const ids = [
      await approvedRequest(
        h,
        hsm,
        "key.rotate",
        rotatedA.map((key) => ({ key })),
      ),
      await approvedRequest(
        h,
        hsm,
        "key.rotate",
        rotatedB.map((key) => ({ key })),
      ),
      await approvedRequest(
        h,
        hsm,
        "key.create",
        created.map((key) => ({ key, kty: "EC", rotationPolicy: policy })),
      ),
    ];
    // Each call a little slow, so that an execution lasts long enough to be killed ten times.
    await setFaults(stack, hsm, { latencyMs: 60 });
    const random = seeded(SEED);
    const kills: { delayMs: number; unsettled: number }[] = [];
    const started: WaitingExecutor[] = [];
    const start = async () => {
      const executor = await startWaitingExecutor();
      started.push(executor);
      return executor;
    };
    let next = await start();
    try {
      for (let round = 0; round <= KILLS; round += 1) {
        const current = next;
        const last = round === KILLS;
        // The last executor is left to finish, at full speed.
        if (last) await setFaults(stack, hsm, {});
        // Each executor runs as if the previous one's claims had run out: it resumes at once.
        current.go({
          ...h.workerConfig(database, { lease: false, itemConcurrency: last ? 16 : 4 }),
          clockOffsetMs: round * (ITEM_CLAIM_MS + 1_000),
        });
        if (last) {
          expect(await current.done).toMatchObject({ acquired: true });
          break;
        }
        next = await start();
        const before = await claims(ids);
        await expect
          .poll(() => claims(ids), { timeout: 30_000, interval: 10 })
          .toBeGreaterThan(before);
        const delayMs = Math.floor(random() * 1_000);
        await sleep(delayMs);
        current.child.kill("SIGKILL");
        expect(await current.done).toEqual({ killed: "SIGKILL" });
        kills.push({ delayMs, unsettled: await unsettled(ids) });
      }
    } finally {
      // Whatever a failure left running.
      for (const executor of started)
        if (executor.child.exitCode === null && executor.child.signalCode === null)
          executor.child.kill("SIGKILL");
      await setFaults(stack, hsm, {});
    }
    // Every kill struck in the middle of the execution.
    expect(kills.filter((k) => k.unsettled === 0)).toEqual([]);
    expect(kills).toHaveLength(KILLS);

    let duplicates = 0;
    for (const id of ids) {
      const done = (await requestDetail(db, id))!;
      expect(
        done.items.filter((i) => i.state !== "executed").map((i) => `${i.target.key}: ${i.error}`),
      ).toEqual([]);
      expect(done.state).toBe("executed");
      const { items, endings } = await auditedExecutions(db, id);
      expect(items.size).toBe(done.items.length);
      duplicates += [...items.values()].filter((n) => n !== 1).length + endings - 1;
      expect(endings).toBe(1);
    }
    expect(duplicates).toBe(0);
    const starts = await db
      .selectFrom("audit_event")
      .select("request_id")
      .where("action", "=", "request.execute.start")
      .where("request_id", "in", ids)
      .execute();
    expect(starts.map((s) => s.request_id).sort()).toEqual([...ids].sort());

    const counts = await versionCounts(stack, hsm, [...rotatedA, ...rotatedB, ...created]);
    const expected: Record<string, number> = {};
    for (const key of [...rotatedA, ...rotatedB]) expected[key] = 2;
    for (const key of created) expected[key] = 1;
    expect(counts).toEqual(expected);
    // Each created key also got its rotation policy, even when its executor died in between.
    const client = stack.keyClient(hsm);
    for (const key of created)
      expect((await client.getKeyRotationPolicy(key)).lifetimeActions).toHaveLength(1);
    await annotate(
      `${KILLS} kills after ${kills.map((k) => k.delayMs).join(", ")} ms; unsettled items after each: ${kills.map((k) => k.unsettled).join(", ")}; 120 items, duplicates ${duplicates}`,
    );
  });
});
