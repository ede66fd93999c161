import { randomUUID } from "node:crypto";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { getRun } from "@/lib/sync/runs";
import { refreshKey, runSync, startSync } from "@/lib/sync/service";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The inventory mirror filled by the real SDK from the emulator, on SQLite and (when configured)
 * PostgreSQL: a full sync, an incremental sync after every kind of change, one key on demand,
 * and a sync that completes under throttling without Retry-After and random 503s.
 */

const PAYMENTS_API = "77ec9f24-01ee-4701-9f66-faef115f006e";
const OWNER = "3243182d-1727-4605-9abd-29ce37fe0480";
const SETTINGS = { concurrency: 16 };

const HSMS = ["sync-sqlite", "sync-postgres", "sync-throttled"];
let stack: TestStack;

/** 37 live keys of every family, a rotated one with a policy, tags, an assignment, a deleted one. */
async function seed(hsm: string) {
  const admin = (method: string, path: string, body?: unknown) =>
    stack.request(hsm, LOCAL_TOOL_CLIENT_ID, method, path, body);
  const createKey = async (name: string, body: Record<string, unknown>) => {
    const response = await admin("POST", `/keys/${name}/create`, body);
    if (response.status !== 200)
      throw new Error(`create ${name}: ${response.status} ${response.text}`);
  };
  const tool = stack.principalOf(LOCAL_TOOL_CLIENT_ID);
  for (const role of [BUILT_IN_ROLE_IDS.cryptoUser, BUILT_IN_ROLE_IDS.cryptoOfficer])
    await stack.grant(hsm, tool, role);
  for (let i = 0; i < 30; i += 1)
    await createKey(`ec-${String(i).padStart(2, "0")}`, {
      kty: "EC-HSM",
      crv: i % 2 ? "P-384" : "P-256",
      tags: { app: `app-${i % 3}` },
    });
  for (let i = 0; i < 6; i += 1) await createKey(`aes-${i}`, { kty: "oct-HSM", key_size: 256 });
  await createKey("payments-signing", {
    kty: "RSA-HSM",
    key_size: 3072,
    tags: { owner: OWNER, app: "payments" },
    attributes: { exp: Math.floor(Date.parse("2027-01-01T00:00:00Z") / 1000) },
  });
  await admin("PUT", "/keys/payments-signing/rotationpolicy", {
    lifetimeActions: [{ trigger: { timeAfterCreate: "P90D" }, action: { type: "Rotate" } }],
    attributes: { expiryTime: "P1Y" },
  });
  await admin("POST", "/keys/payments-signing/rotate");
  await stack.grant(
    hsm,
    stack.principalOf(PAYMENTS_API),
    BUILT_IN_ROLE_IDS.cryptoUser,
    "/keys/payments-signing",
  );
  await createKey("retired", { kty: "EC-HSM" });
  await admin("DELETE", "/keys/retired");
  return { admin, createKey };
}

function handleFor(hsm: string, options: Parameters<typeof createHsmHandle>[2] = {}): HsmHandle {
  return createHsmHandle(
    { name: hsm, region: "West Europe", url: stack.hsmUrl(hsm), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
    { concurrency: SETTINGS.concurrency, ...options },
  );
}

beforeAll(async () => {
  stack = await startTestStack(
    HSMS.map((name) => ({ name, region: "West Europe", retentionDays: 7 })),
  );
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe.each(availableDialects())("inventory sync on %s", (dialect) => {
  const HSM = `sync-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let admin: Awaited<ReturnType<typeof seed>>["admin"];
  let createKey: Awaited<ReturnType<typeof seed>>["createKey"];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    ({ admin, createKey } = await seed(HSM));
    handle = handleFor(HSM);
    // `updated` has whole seconds; let the seeded keys age past the same-second margin.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
  }, 60_000);

  afterAll(async () => {
    await database?.dispose();
  });

  const key = (name: string) =>
    db
      .selectFrom("inventory_key")
      .selectAll()
      .where("hsm", "=", HSM)
      .where("name_lower", "=", name)
      .executeTakeFirst();

  it("mirrors every key, its details, policy, versions, tags, assignments and deletions", async () => {
    const runId = await runSync(db, handle, { kind: "full", trigger: "manual" }, SETTINGS);
    const run = await getRun(db, runId!);
    expect(run).toMatchObject({
      status: "succeeded",
      kind: "full",
      keys_listed: 37,
      keys_refreshed: 37,
      throttled: 0,
    });
    expect(run!.calls).toBeGreaterThanOrEqual(37 * 4);

    const rows = await db.selectFrom("inventory_key").selectAll().where("hsm", "=", HSM).execute();
    expect(rows).toHaveLength(38);
    expect(await key("payments-signing")).toMatchObject({
      name: "payments-signing",
      kty: "RSA-HSM",
      family: "RSA",
      key_size: 3072,
      version_count: 2,
      policy_state: "rotates",
      owner: OWNER,
      expires_at: expect.any(Number) as unknown,
      next_rotation_at: expect.any(Number) as unknown,
      deleted_at: null,
    });
    expect(await key("ec-01")).toMatchObject({
      family: "EC",
      curve: "P-384",
      key_size: null,
      policy_state: "none",
      version_count: 1,
    });
    expect(await key("aes-0")).toMatchObject({ family: "oct", kty: "oct-HSM", key_size: null });
    expect(await key("retired")).toMatchObject({
      deleted_at: expect.any(Number) as unknown,
      scheduled_purge_at: expect.any(Number) as unknown,
      family: "EC",
    });

    const tags = await db
      .selectFrom("inventory_key_tag")
      .selectAll()
      .where("hsm", "=", HSM)
      .where("key_lower", "=", "payments-signing")
      .execute();
    expect(tags.map((t) => [t.tag, t.value]).sort()).toEqual([
      ["app", "payments"],
      ["owner", OWNER],
    ]);
    const assignments = await db
      .selectFrom("inventory_role_assignment")
      .selectAll()
      .where("hsm", "=", HSM)
      .execute();
    expect(assignments.filter((a) => a.key_lower === "payments-signing")).toEqual([
      expect.objectContaining({
        scope: "/keys/payments-signing",
        role_definition_id: BUILT_IN_ROLE_IDS.cryptoUser,
        principal_id: stack.principalOf(PAYMENTS_API),
      }),
    ]);
    expect(assignments.filter((a) => a.key_lower === null).length).toBeGreaterThanOrEqual(3);
    const definitions = await db
      .selectFrom("inventory_role_definition")
      .select("id")
      .where("hsm", "=", HSM)
      .execute();
    expect(definitions.map((d) => d.id)).toContain(BUILT_IN_ROLE_IDS.cryptoAuditor);
    expect(
      await db.selectFrom("inventory_hsm").selectAll().where("name", "=", HSM).executeTakeFirst(),
    ).toMatchObject({
      security_domain: "activated",
      last_error: null,
      last_full_sync_at: expect.any(Number) as unknown,
    });
  });

  it("re-reads only what changed, and still catches deletions, purges and policy changes", async () => {
    const fresh = "fresh";
    await createKey(fresh, { kty: "EC-HSM" });
    await admin("PATCH", "/keys/ec-02", { tags: { app: "renamed" } });
    await admin("PUT", "/keys/ec-03/rotationpolicy", {
      lifetimeActions: [{ trigger: { timeAfterCreate: "P60D" }, action: { type: "Rotate" } }],
    });
    expect((await admin("POST", "/keys/ec-03/rotate")).status).toBe(200);
    await admin("DELETE", "/keys/ec-04");
    await admin("PUT", "/keys/ec-05/rotationpolicy", {
      lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } }],
    });
    const grant = await stack.grant(
      HSM,
      randomUUID(),
      BUILT_IN_ROLE_IDS.cryptoAuditor,
      "/keys/ec-06",
    );

    const runId = await runSync(
      db,
      handle,
      { kind: "incremental", trigger: "manual" },
      { ...SETTINGS, detailBudget: 100 },
    );
    const run = (await getRun(db, runId!))!;
    // The new key and the two changed within the second of the full sync: nothing else.
    expect(run).toMatchObject({ status: "succeeded", kind: "incremental" });

    expect(await key(fresh)).toMatchObject({ family: "EC", version_count: 1 });
    expect(JSON.parse((await key("ec-02"))!.tags)).toEqual({ app: "renamed" });
    expect(await key("ec-03")).toMatchObject({ version_count: 2, policy_state: "rotates" });
    expect(await key("ec-04")).toMatchObject({ deleted_at: expect.any(Number) as unknown });
    expect(await key("ec-05")).toMatchObject({ policy_state: "rotates" });
    const ec06 = await db
      .selectFrom("inventory_role_assignment")
      .select("name")
      .where("hsm", "=", HSM)
      .where("key_lower", "=", "ec-06")
      .execute();
    expect(ec06.map((a) => a.name)).toEqual([grant]);
    expect(run.keys_refreshed).toBe(3);

    await admin("DELETE", "/deletedkeys/ec-04");
    await admin("POST", "/deletedkeys/retired/recover");
    const quiet = await runSync(
      db,
      handle,
      { kind: "incremental", trigger: "manual" },
      { ...SETTINGS, detailBudget: 0 },
    );
    const quietRun = (await getRun(db, quiet!))!;
    expect(await key("ec-04")).toBeUndefined();
    expect(await key("retired")).toMatchObject({ deleted_at: null });
    expect(quietRun.keys_removed).toBe(1);
    expect(quietRun.calls).toBeLessThan(run.calls);
  });

  it("re-reads a known key's policy and assignments in a full sync, and a rotated key whole", async () => {
    // Let the changes above age past the same-second margin, then rotate one key (ec-03 has a rotation policy).
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const versionsBefore = (await key("ec-03"))!.version_count!;
    expect((await admin("POST", "/keys/ec-03/rotate")).status).toBe(200);
    // Changes a key's updated time does not show: a full sync must still find them.
    expect(await key("ec-09")).toMatchObject({ policy_state: "none" });
    await admin("PUT", "/keys/ec-09/rotationpolicy", {
      lifetimeActions: [{ trigger: { timeAfterCreate: "P45D" }, action: { type: "Rotate" } }],
    });
    const grant = await stack.grant(HSM, randomUUID(), BUILT_IN_ROLE_IDS.cryptoUser, "/keys/ec-10");

    const runId = await runSync(db, handle, { kind: "full", trigger: "manual" }, SETTINGS);
    const run = (await getRun(db, runId!))!;
    expect(run).toMatchObject({ status: "succeeded", kind: "full", failures: 0 });
    expect(run.keys_refreshed).toBe(run.keys_listed);
    expect(await key("ec-03")).toMatchObject({ version_count: versionsBefore + 1 });
    expect(await key("ec-08")).toMatchObject({ version_count: 1, family: "EC" });
    expect(await key("ec-09")).toMatchObject({ policy_state: "rotates" });
    const ec10 = await db
      .selectFrom("inventory_role_assignment")
      .select("name")
      .where("hsm", "=", HSM)
      .where("key_lower", "=", "ec-10")
      .execute();
    expect(ec10.map((a) => a.name)).toEqual([grant]);
    // Policy and assignments per key, the rotated key's details and versions, and the few
    // calls per HSM (list pages, deleted keys, HSM-wide assignments, definitions, the security
    // domain): about ten. Reading every key whole again would add two per key (74).
    const beyondTwoPerKey = run.calls - 2 * run.keys_listed;
    expect(beyondTwoPerKey).toBeGreaterThanOrEqual(2);
    expect(beyondTwoPerKey).toBeLessThanOrEqual(14);
  });

  it("starts no scheduled sync that another instance ran while this one waited for the lease", async () => {
    const runs = async () =>
      (await db.selectFrom("sync_run").select("id").where("hsm", "=", HSM).execute()).length;
    const before = await runs();
    const asked: string[] = [];
    const start = await startSync(
      db,
      handle,
      {
        kind: "incremental",
        trigger: "schedule",
        stillDue: () => (asked.push("asked"), Promise.resolve(false)),
      },
      SETTINGS,
    );
    expect(start).toEqual({ started: false, heldBy: null });
    expect(asked).toEqual(["asked"]);
    expect(await runs()).toBe(before);
  });

  it("refreshes one key on demand, and forgets it once purged", async () => {
    await admin("PATCH", "/keys/ec-07", { attributes: { enabled: false } });
    await refreshKey(db, handle, "EC-07", { trigger: "manual" });
    expect(await key("ec-07")).toMatchObject({ enabled: 0 });
    await admin("DELETE", "/keys/fresh");
    await admin("DELETE", "/deletedkeys/fresh");
    await refreshKey(db, handle, "fresh", { trigger: "change" });
    expect(await key("fresh")).toBeUndefined();
  });

  it("records a failed run and keeps the last good data when the HSM is down", async () => {
    await admin("PUT", "/emulator/faults", { unavailableRate: 1 });
    try {
      const impatient = handleFor(HSM, {
        backgroundRetries: { maxRetries: 1, maxTotalWaitMs: 2_000 },
      });
      const runId = await runSync(
        db,
        impatient,
        { kind: "incremental", trigger: "manual" },
        SETTINGS,
      );
      const run = (await getRun(db, runId!))!;
      expect(run.status).toBe("failed");
      expect(run.throttled).toBeGreaterThan(0);
      expect(run.error).toContain(`HSM ${HSM} is unavailable`);
    } finally {
      await admin("PUT", "/emulator/faults", {});
    }
    expect(
      await db
        .selectFrom("inventory_hsm")
        .select(["last_error", "last_success_at"])
        .where("name", "=", HSM)
        .executeTakeFirst(),
    ).toMatchObject({
      last_error: expect.stringMatching(/unavailable/) as unknown,
      last_success_at: expect.any(Number) as unknown,
    });
    expect(await key("payments-signing")).toMatchObject({ kty: "RSA-HSM" });
  }, 60_000);
});

describe("a sync under throttling", () => {
  it("completes through 429s without Retry-After and 503s, and records them", async () => {
    const HSM = "sync-throttled";
    const { admin } = await seed(HSM);
    const handle = handleFor(HSM);
    const database = await createTestDatabase("sqlite");
    try {
      const db = await database.openMigrated();
      await admin("PUT", "/emulator/faults", {
        throttle: { read: { rate: 0.1 }, rbac: { rate: 0.1 } },
        unavailableRate: 0.03,
      });
      const runId = await runSync(db, handle, { kind: "full", trigger: "manual" }, SETTINGS);
      await admin("PUT", "/emulator/faults", {});
      const run = (await getRun(db, runId!))!;
      expect(run).toMatchObject({ status: "succeeded", failures: 0 });
      expect(run.throttled).toBeGreaterThan(5);
      expect(run.retries).toBe(run.throttled);
      expect(run).toMatchObject({ keys_listed: 37, keys_refreshed: 37 });
      const mirrored = await db
        .selectFrom("inventory_key")
        .select(["name", "kty"])
        .where("hsm", "=", HSM)
        .execute();
      expect(mirrored).toHaveLength(38);
      expect(mirrored.every((row) => row.kty !== null)).toBe(true);
    } finally {
      await admin("PUT", "/emulator/faults", {});
      await database.dispose();
    }
  }, 120_000);
});
