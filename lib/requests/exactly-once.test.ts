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
  approver,
  grantPortalRoles,
  portalHandle,
  requestHarness,
  type RequestHarness,
} from "./testing/fixture";
import { startExecutorWorker } from "./testing/run-executor-worker";

/*
 * Exactly once, proven against the emulator: a bulk of 200 rotations under throttling without
 * Retry-After and random 503s; an executor killed (SIGKILL) in the middle of a bulk, then
 * resumed; and two executor processes racing for the same approved request. "Once" is read
 * back from the HSM: each key ends with exactly two versions (its first, and one rotation).
 */

const dialects = availableDialects();
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(
    dialects.flatMap((d) => [{ name: `once-${d}`, region: "West Europe" }]),
    { testMode: true },
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `once-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
}, 60_000);
afterAll(async () => stack?.close());

describe.each(dialects)("exactly-once execution on %s", (dialect) => {
  const hsm = `once-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let h: RequestHarness;
  const admin = (method: string, path: string, body?: unknown) =>
    stack.request(hsm, LOCAL_TOOL_CLIENT_ID, method, path, body);
  const faults = async (body: unknown) => {
    const response = await admin("PUT", "/emulator/faults", body);
    expect(response.status).toBe(200);
  };

  /** `count` keys named `${prefix}-n`, each with a rotation policy (on-demand rotation needs one). */
  async function keys(prefix: string, count: number): Promise<string[]> {
    const names = Array.from(
      { length: count },
      (_, i) => `${prefix}-${String(i).padStart(3, "0")}`,
    );
    const client = stack.keyClient(hsm, LOCAL_TOOL_CLIENT_ID);
    // A fresh KeyClient's first requests must not race its challenge (see lib/hsm/policies.ts).
    await client.getKey(names[0]!).catch(() => undefined);
    for (let i = 0; i < names.length; i += 20)
      await Promise.all(
        names.slice(i, i + 20).map(async (name) => {
          await client.createEcKey(name, { hsm: true });
          await admin("PUT", `/keys/${name}/rotationpolicy`, {
            lifetimeActions: [{ trigger: { timeAfterCreate: "P90D" }, action: { type: "Rotate" } }],
            attributes: { expiryTime: "P1Y" },
          });
        }),
      );
    return names;
  }

  async function versionCounts(names: string[]): Promise<number[]> {
    const client = stack.keyClient(hsm, LOCAL_TOOL_CLIENT_ID);
    return Promise.all(
      names.map(async (name) => {
        let n = 0;
        for await (const version of client.listPropertiesOfKeyVersions(name)) if (version) n += 1;
        return n;
      }),
    );
  }

  async function approvedRotation(names: string[]): Promise<string> {
    const id = await h.file({
      kind: "key.rotate",
      hsm,
      justification: "Quarterly rotation of the test keys",
      items: names.map((key) => ({ key })),
    });
    await h.decide(id, "approve", approver(1));
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    h = requestHarness(
      db,
      stack,
      hsm,
      portalHandle(stack, hsm),
      clientSecretOf(stack.directory, stack.secrets, LOCAL_TOOL_CLIENT_ID),
    );
  }, 60_000);
  afterAll(() => database.dispose());

  it("executes a bulk of 200 under 10 % throttling and 3 % 503s, each item once", async () => {
    const names = await keys("bulk", 200);
    const id = await approvedRotation(names);
    await faults({
      throttle: { read: { rate: 0.1 }, write: { rate: 0.1 } },
      unavailableRate: 0.03,
    });
    try {
      await h.execute();
    } finally {
      await faults({});
    }
    const done = (await requestDetail(db, id))!;
    expect(
      done.items.filter((i) => i.state !== "executed").map((i) => `${i.target.key}: ${i.error}`),
    ).toEqual([]);
    expect(done.state).toBe("executed");
    expect(new Set(await versionCounts(names))).toEqual(new Set([2]));
  }, 180_000);

  it("resumes a bulk after its executor was killed mid-way, doing no item twice", async () => {
    const names = await keys("killed", 60);
    const id = await approvedRotation(names);
    await faults({ latencyMs: 40 });
    const worker = startExecutorWorker(
      h.workerConfig(database, { lease: true, itemConcurrency: 4 }),
    );
    try {
      await expect
        .poll(
          async () =>
            (
              await db
                .selectFrom("change_request_item")
                .select("state")
                .where("request_id", "=", id)
                .where("state", "=", "executed")
                .execute()
            ).length,
          { timeout: 60_000, interval: 50 },
        )
        .toBeGreaterThanOrEqual(10);
      worker.child.kill("SIGKILL");
      expect(await worker.done).toEqual({ killed: "SIGKILL" });
    } finally {
      await faults({});
    }
    const left = await db
      .selectFrom("change_request_item")
      .select("state")
      .where("request_id", "=", id)
      .execute();
    expect(left.filter((i) => i.state === "executed").length).toBeLessThan(names.length);
    expect((await requestDetail(db, id))!.state).toBe("executing");

    // An executor now leaves the dead one's items alone: their claims have not run out.
    await h.execute();
    expect((await requestDetail(db, id))!.state).toBe("executing");
    // Once they have, the next executor resumes: it reads each unsettled item's key before writing.
    await h.execute(ITEM_CLAIM_MS + 1_000);
    const done = (await requestDetail(db, id))!;
    expect(done.state).toBe("executed");
    expect(new Set(await versionCounts(names))).toEqual(new Set([2]));
  }, 120_000);

  it("lets exactly one of two portal processes racing for the executor's lease run a request", async () => {
    const names = await keys("lease", 10);
    const id = await approvedRotation(names);
    // The executor killed above still holds the lease until it runs out; race once it has.
    await expect
      .poll(
        async () =>
          (
            await db
              .selectFrom("lease")
              .select("expires_at")
              .where("name", "=", "requests:executor")
              .where("expires_at", ">", Date.now())
              .execute()
          ).length,
        { timeout: 30_000, interval: 100 },
      )
      .toBe(0);
    const workers = [0, 1].map(() =>
      startExecutorWorker(h.workerConfig(database, { lease: true })),
    );
    const results = await Promise.all(workers.map((w) => w.done));
    const ran = results.flatMap((r) => ("ran" in r ? r.ran : []));
    expect(ran.filter((r) => r === id)).toHaveLength(1);
    expect((await requestDetail(db, id))!.state).toBe("executed");
    expect(new Set(await versionCounts(names))).toEqual(new Set([2]));
  }, 120_000);

  it("executes each item once even when two executors skip the lease and race", async () => {
    const names = await keys("race", 20);
    const id = await approvedRotation(names);
    const workers = [0, 1].map(() =>
      startExecutorWorker(h.workerConfig(database, { lease: false })),
    );
    await Promise.all(workers.map((w) => w.done));
    expect((await requestDetail(db, id))!.state).toBe("executed");
    expect(new Set(await versionCounts(names))).toEqual(new Set([2]));
    const executions = await db
      .selectFrom("audit_event")
      .select("action")
      .where("action", "=", "request.item.execute")
      .where("target", "like", `%${id}%`)
      .execute();
    expect(executions).toHaveLength(names.length);
  }, 120_000);
});
