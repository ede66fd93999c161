import path from "node:path";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { clientSecretOf } from "@keyward/identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { expireDueGrants, GRANT_CLAIM_MS, type ExpiryDeps } from "@/lib/grants/expiry";
import { listGrants } from "@/lib/grants/service";
import type { HsmHandle } from "@/lib/hsm/handle";
import { createKey } from "@/lib/hsm/key-writes";
import { findRoleAssignment } from "@/lib/hsm/rbac-writes";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { requestDetail } from "@/lib/requests/store";
import {
  approver,
  grantPortalRoles,
  portalHandle,
  refusal,
  REQUESTER,
  requestHarness,
  type RequestHarness,
} from "@/lib/requests/testing/fixture";
import { refreshKey } from "@/lib/sync/service";
import { startWorkerProcess } from "@/lib/testing/worker-process";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

import type { ExpiryWorkerConfig } from "./testing/expiry-worker";

/*
 * Time-limited grants end to end on SQLite and (when configured) PostgreSQL: a grant filed with
 * `expiresAfter`, approved and executed, is recorded with its end; the expiry job removes its
 * role assignment once the (injected) clock passes the end and audits it once — also when the
 * job is killed half-way and another finishes it, or when a removal fails and the next round
 * retries it; a grant revoked by a request first is left alone; and only PT15M to P30D is accepted.
 */

const dialects = availableDialects();
const APP = "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe";
const MIN = 60_000;
const WORKER = path.join(import.meta.dirname, "testing", "expiry-worker.ts");
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(
    dialects.map((d) => ({ name: `grants-${d}`, region: "West Europe" })),
    { testMode: true },
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `grants-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
}, 60_000);
afterAll(async () => stack?.close());

describe.each(dialects)("time-limited grants on %s", (dialect) => {
  const hsm = `grants-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let h: RequestHarness;
  let deps: ExpiryDeps;
  const justification = "Needed for the integration test";
  const faults = async (body: unknown) => {
    const response = await stack.request(
      hsm,
      LOCAL_TOOL_CLIENT_ID,
      "PUT",
      "/emulator/faults",
      body,
    );
    expect(response.status).toBe(200);
  };
  const grantOf = (assignment: string) =>
    db
      .selectFrom("role_grant")
      .selectAll()
      .where("assignment", "=", assignment)
      .executeTakeFirstOrThrow();
  const expireEvents = async (assignment: string) =>
    (
      await db
        .selectFrom("audit_event")
        .select(["target", "outcome"])
        .where("action", "=", "grant.expire")
        .orderBy("seq")
        .execute()
    ).filter((e) => e.target.includes(assignment));

  /** Files, approves and executes a grant of Crypto User on `key` for the app; its assignment's name. */
  async function grant(key: string, expiresAfter?: string): Promise<string> {
    const id = await h.file({
      kind: "role-assignment.create",
      hsm,
      justification,
      items: [
        {
          scope: `/keys/${key}`,
          roleDefinitionId: BUILT_IN_ROLE_IDS.cryptoUser,
          principalId: APP,
          ...(expiresAfter ? { expiresAfter } : {}),
        },
      ],
    });
    await h.decide(id, "approve", approver(1));
    expect(await h.execute()).toContain(id);
    const done = (await requestDetail(db, id))!;
    expect(done.state).toBe("executed");
    return done.items[0]!.target.name!;
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(stack, hsm);
    h = requestHarness(
      db,
      stack,
      hsm,
      handle,
      clientSecretOf(stack.directory, stack.secrets, LOCAL_TOOL_CLIENT_ID),
    );
    deps = { db, handleOf: () => handle, actor: h.deps.actor };
    for (const key of ["granted", "revoked", "killed", "failing"])
      await createKey(handle, key, { kty: "oct", size: 256 });
  }, 60_000);
  afterAll(() => database.dispose());

  it("removes a 15-minute grant once the clock passes its end, and audits it once", async () => {
    const before = Date.now();
    const assignment = await grant("granted", "PT15M");
    const row = await grantOf(assignment);
    expect(row).toMatchObject({
      state: "active",
      scope: "/keys/granted",
      requester_id: REQUESTER.id,
    });
    expect(Number(row.expires_at) - before).toBeGreaterThanOrEqual(15 * MIN);
    expect(Number(row.expires_at) - Date.now()).toBeLessThanOrEqual(15 * MIN);
    const listed = await listGrants(
      db,
      { id: REQUESTER.id, groups: [], readAll: false },
      { mine: true },
    );
    expect(listed.map((g) => [g.assignment, g.key, g.state])).toEqual([
      [assignment, "granted", "active"],
    ]);

    expect(await expireDueGrants({ ...deps, now: () => Number(row.expires_at) - 1000 })).toEqual({
      expired: [],
      failed: [],
    });
    expect(
      await findRoleAssignment(handle, "/keys/granted", assignment, "background"),
    ).not.toBeNull();

    const after = { ...deps, now: () => Number(row.expires_at) + 1000 };
    expect(await expireDueGrants(after)).toEqual({ expired: [assignment], failed: [] });
    expect(await findRoleAssignment(handle, "/keys/granted", assignment, "background")).toBeNull();
    expect(await grantOf(assignment)).toMatchObject({
      state: "expired",
      claimed_until: null,
      end_error: null,
    });
    expect(await expireDueGrants(after)).toEqual({ expired: [], failed: [] });
    expect(await expireEvents(assignment)).toEqual([
      expect.objectContaining({ outcome: "succeeded" }),
    ]);
  });

  it("keeps a grant whose removal failed ending, says why, and ends it at the next round", async () => {
    const assignment = await grant("failing", "PT15M");
    const end = Number((await grantOf(assignment)).expires_at) + 1000;
    const impatient = portalHandle(stack, hsm, {
      backgroundRetries: { maxRetries: 1, maxTotalWaitMs: 2_000 },
    });
    await faults({ unavailableRate: 1 });
    try {
      expect(await expireDueGrants({ ...deps, handleOf: () => impatient, now: () => end })).toEqual(
        { expired: [], failed: [assignment] },
      );
    } finally {
      await faults({});
    }
    expect(await grantOf(assignment)).toMatchObject({
      state: "ending",
      end_error: expect.stringMatching(/unavailable/) as unknown,
    });
    expect(
      await findRoleAssignment(handle, "/keys/failing", assignment, "background"),
    ).not.toBeNull();
    // The next round, one default interval later and well within the claim's two minutes.
    expect(await expireDueGrants({ ...deps, now: () => end + 30_000 })).toEqual({
      expired: [assignment],
      failed: [],
    });
    expect(await findRoleAssignment(handle, "/keys/failing", assignment, "background")).toBeNull();
    expect(await grantOf(assignment)).toMatchObject({ state: "expired", end_error: null });
    expect((await expireEvents(assignment)).map((e) => e.outcome)).toEqual(["failed", "succeeded"]);
  }, 60_000);

  it("leaves a grant a request revoked first", async () => {
    const assignment = await grant("revoked", "P1D");
    // Revoking names an assignment the inventory holds: the executor's refresh does that in the portal.
    await refreshKey(db, handle, "revoked", { trigger: "change" });
    const id = await h.file({
      kind: "role-assignment.delete",
      hsm,
      justification,
      items: [{ name: assignment }],
    });
    await h.decide(id, "approve", approver(1));
    await h.execute();
    expect(await grantOf(assignment)).toMatchObject({ state: "revoked" });
    expect(await expireDueGrants({ ...deps, now: () => Date.now() + 2 * 86_400_000 })).toEqual({
      expired: [],
      failed: [],
    });
    expect(await expireEvents(assignment)).toEqual([]);
  });

  it("keeps a permanent grant out of the table", async () => {
    const assignment = await grant("granted");
    expect(
      await db
        .selectFrom("role_grant")
        .select("assignment")
        .where("assignment", "=", assignment)
        .execute(),
    ).toEqual([]);
  });

  it("accepts 15 minutes to 30 days only", async () => {
    for (const expiresAfter of ["PT14M", "P31D", "P1M", "soon"]) {
      const refused = await refusal(
        h.file({
          kind: "role-assignment.create",
          hsm,
          justification,
          items: [
            {
              scope: "/keys/granted",
              roleDefinitionId: BUILT_IN_ROLE_IDS.cryptoUser,
              principalId: APP,
              expiresAfter,
            },
          ],
        }),
      );
      expect(refused.code).toBe("validation_failed");
      expect(refused.message).toMatch(/\/items\/0\/expiresAfter .*15 minutes/);
    }
  });

  it("ends a grant once when the job is killed between its claim and its record", async () => {
    const assignment = await grant("killed", "PT15M");
    const end = Number((await grantOf(assignment)).expires_at) + 1000;
    const config: ExpiryWorkerConfig = {
      database: database.config,
      hsm: { name: hsm, url: stack.hsmUrl(hsm) },
      caPem: stack.caPem,
      issuer: stack.idp.issuer,
      appId: LOCAL_TOOL_CLIENT_ID,
      secret: clientSecretOf(stack.directory, stack.secrets, LOCAL_TOOL_CLIENT_ID) ?? "",
      now: end,
    };
    // The HSM answers slowly, so that the worker is killed while its removal is on its way.
    await faults({ latencyMs: 3000 });
    try {
      const worker = startWorkerProcess<{ expired: string[] }>(WORKER, config);
      await expect
        .poll(async () => (await grantOf(assignment)).state, { timeout: 30_000, interval: 50 })
        .toBe("ending");
      worker.child.kill("SIGKILL");
      expect(await worker.done).toEqual({ killed: "SIGKILL" });
    } finally {
      await faults({});
    }
    expect(await grantOf(assignment)).toMatchObject({ state: "ending" });
    // Another run leaves it while the dead job's claim lasts, and finishes it once it has run out.
    expect(await expireDueGrants({ ...deps, now: () => end })).toEqual({ expired: [], failed: [] });
    const later = { ...deps, now: () => end + GRANT_CLAIM_MS + 1000 };
    expect(await expireDueGrants(later)).toEqual({ expired: [assignment], failed: [] });
    expect(await findRoleAssignment(handle, "/keys/killed", assignment, "background")).toBeNull();
    expect(await grantOf(assignment)).toMatchObject({ state: "expired" });
    expect(await expireEvents(assignment)).toEqual([
      expect.objectContaining({ outcome: "succeeded" }),
    ]);
  }, 60_000);
});
