import { randomBytes } from "node:crypto";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDb, type Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { executeApprovedRequests, ITEM_CLAIM_MS } from "@/lib/requests/executor";
import { requestDetail } from "@/lib/requests/store";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

import {
  approvedRequest,
  expectExecutedOnce,
  keysWithPolicy,
  setFaults,
  versionCounts,
} from "./testing/fault-kit";
import { grantPortalRoles, portalHandle, requestHarness } from "./testing/fixture";

/*
 * The executor's PostgreSQL connections killed with pg_terminate_backend three times during an
 * execution, as a failover or an administrator would: the pool replaces them, the items the
 * kills interrupted are resumed once their claims run out, and the request ends exactly once,
 * by the HSM's versions and by the audit log. Only the executor's own connections (marked by
 * application_name) are killed: other tests share the server.
 */

const postgres = availableDialects().includes("postgres");
const HSM = "pgkill";
const KILLS = 3;
let stack: TestStack;
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  if (!postgres) return;
  stack = await startTestStack([{ name: HSM, region: "West Europe" }], { testMode: true });
  await grantPortalRoles(stack, HSM, [
    BUILT_IN_ROLE_IDS.cryptoUser,
    BUILT_IN_ROLE_IDS.cryptoOfficer,
  ]);
  database = await createTestDatabase("postgres");
  db = await database.openMigrated();
}, 60_000);
afterAll(async () => {
  await database?.dispose();
  await stack?.close();
});

describe("PostgreSQL connections terminated during an execution", () => {
  it("reconnects, resumes, and ends the request exactly once", async ({ annotate, skip }) => {
    if (!postgres)
      skip("PostgreSQL only: set TEST_DATABASE_URL (SQLite has no server connections to kill)");
    const names = await keysWithPolicy(stack, HSM, "pg", 60);
    const h = requestHarness(db, stack, HSM, portalHandle(stack, HSM));
    const id = await approvedRequest(
      h,
      HSM,
      "key.rotate",
      names.map((key) => ({ key })),
    );
    // The executor's own pool, named so that only its connections are terminated.
    const marker = `keyward-faults-${randomBytes(4).toString("hex")}`;
    if (database.config.kind !== "postgres") throw new Error("a PostgreSQL database was expected");
    const url = new URL(database.config.url);
    url.searchParams.set("application_name", marker);
    const executorDb = createDb({ kind: "postgres", url: url.toString() });
    const deps = { ...h.deps, db: executorDb, itemConcurrency: 4 };
    const executed = async () =>
      (
        await db
          .selectFrom("change_request_item")
          .select("position")
          .where("request_id", "=", id)
          .where("state", "=", "executed")
          .execute()
      ).length;

    let terminated = 0;
    let failedRuns = 0;
    let runs = 0;
    /*
     * The portal's executor job on the pool under attack: run after run until the request ends.
     * A run the kills interrupted leaves items claimed; the next run is as if a later tick of
     * the job, once those claims have run out.
     */
    const job = async () => {
      for (;;) {
        if ((await requestDetail(db, id))!.state !== "executing" && runs > 0) return;
        expect(runs).toBeLessThan(10);
        const offset = runs * ITEM_CLAIM_MS;
        runs += 1;
        await executeApprovedRequests({ ...deps, now: () => Date.now() + offset }).catch(
          () => (failedRuns += 1),
        );
      }
    };
    try {
      await setFaults(stack, HSM, { latencyMs: 40 });
      const running = job();
      for (let kill = 1; kill <= KILLS; kill += 1) {
        await expect
          .poll(executed, { timeout: 60_000, interval: 20 })
          .toBeGreaterThanOrEqual(kill * 10);
        const killed = await sql<{ terminated: boolean }>`
          select pg_terminate_backend(pid) as terminated from pg_stat_activity
          where application_name = ${marker}`.execute(db);
        terminated += killed.rows.filter((r) => r.terminated).length;
      }
      await setFaults(stack, HSM, {});
      await running;
    } finally {
      await setFaults(stack, HSM, {});
      await executorDb.destroy();
    }
    expect(terminated).toBeGreaterThanOrEqual(KILLS);
    expect(await expectExecutedOnce(db, id)).toBe(0);
    const counts = await versionCounts(stack, HSM, names);
    expect(Object.entries(counts).filter(([, n]) => n !== 2)).toEqual([]);
    await annotate(
      `${terminated} connections terminated in ${KILLS} kills; ${runs} executor runs (${failedRuns} thrown); 60 items, each once`,
    );
  });
});
