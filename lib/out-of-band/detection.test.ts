import { randomUUID } from "node:crypto";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import type { HsmHandle } from "@/lib/hsm/handle";
import { createKey, updateKey } from "@/lib/hsm/key-writes";
import { createRoleAssignment } from "@/lib/hsm/rbac-writes";
import { detectOutOfBand } from "@/lib/out-of-band/detect";
import { explainOutOfBand, listOutOfBand } from "@/lib/out-of-band/service";
import { requestDetail } from "@/lib/requests/store";
import {
  approver,
  audit,
  grantPortalRoles,
  portalHandle,
  refusal,
  REQUESTER,
  requestHarness,
  type RequestHarness,
} from "@/lib/requests/testing/fixture";
import { finishRun, startRun } from "@/lib/sync/runs";
import { refreshKey, runSync } from "@/lib/sync/service";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * Out-of-band detection against the emulator, on SQLite and (when configured) PostgreSQL: a tag
 * changed and a role assignment added with the SDK directly, behind the portal's back, are
 * recorded after the next sync, audited and sent to the webhook's outbox; a change the portal
 * executed through a change request is not; explaining one is audited, and a second explanation
 * is a conflict.
 */

const APP = "5d1f0c3a-7b6e-4f2a-9c1d-2e3f4a5b6c7d";
const NOTIFY = { publicUrl: "https://keyward.example" };
const SETTINGS = { concurrency: 16, notify: NOTIFY };
const dialects = availableDialects();
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(dialects.map((d) => ({ name: `oob-${d}`, region: "West Europe" })));
  for (const d of dialects)
    await grantPortalRoles(stack, `oob-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
}, 60_000);
afterAll(async () => stack?.close());

describe.each(dialects)("out-of-band changes on %s", (dialect) => {
  const hsm = `oob-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let h: RequestHarness;
  let assignmentName: string;

  const auditEvents = (action: string) =>
    db.selectFrom("audit_event").selectAll().where("action", "=", action).orderBy("seq").execute();

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(stack, hsm);
    h = requestHarness(db, stack, hsm, handle);
    for (const name of ["orders", "billing"])
      await createKey(handle, name, { kty: "EC", curve: "P-256", tags: { app: name } });
    // The first sync sets the baseline: nothing before it counts as out of band.
    await runSync(db, handle, { kind: "full", trigger: "manual" }, SETTINGS);
    expect(await listOutOfBand({ hsm }, db)).toEqual([]);
    // `updated` has whole seconds; let the keys age past the sync's same-second margin.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
  }, 60_000);
  afterAll(() => database?.dispose());

  it("reports a tag changed and an assignment added behind the portal's back, not the portal's own change", async () => {
    // Behind the portal's back: the SDK straight to the HSM, no change request.
    await updateKey(handle, "orders", { tags: { app: "orders", tier: "gold" } });
    assignmentName = randomUUID();
    await createRoleAssignment(handle, {
      scope: "/keys/orders",
      roleDefinitionId: BUILT_IN_ROLE_IDS.cryptoUser,
      principalId: APP,
      name: assignmentName,
    });
    // Through the portal: a change request, approved and executed (the mirror is not refreshed
    // here, so the sync sees this change too and must recognise it as the portal's).
    const id = await h.file({
      kind: "key.update",
      hsm,
      justification: "Tag billing for the integration test",
      items: [{ key: "billing", tags: { app: "billing", tier: "silver" } }],
    });
    const filed = (await requestDetail(db, id))!;
    for (let n = 1; n <= filed.approvalsRequired; n += 1)
      await h.decide(id, "approve", approver(n));
    expect(await h.execute()).toContain(id);

    await runSync(db, handle, { kind: "incremental", trigger: "manual" }, SETTINGS);
    const open = await listOutOfBand({ hsm }, db);
    expect(open.map((c) => `${c.subjectKind}:${c.subjectName}:${c.what}`).sort()).toEqual([
      `assignment:${assignmentName}:added`,
      "key:orders:tags",
    ]);
    const tags = open.find((c) => c.what === "tags")!;
    expect(tags).toMatchObject({
      key: "orders",
      state: "open",
      before: { tags: { app: "orders" } },
      after: { tags: { app: "orders", tier: "gold" } },
    });
    expect(open.find((c) => c.subjectKind === "assignment")).toMatchObject({
      key: "orders",
      before: null,
      after: { scope: "/keys/orders", principalId: APP },
    });
    expect(await listOutOfBand({ hsm, key: "billing" }, db)).toEqual([]);
    expect(await listOutOfBand({ hsm, key: "Orders" }, db)).toHaveLength(2);

    const detected = await auditEvents("out-of-band.detect");
    expect(detected).toHaveLength(2);
    expect(detected.every((e) => (JSON.parse(e.actor) as { type: string }).type === "system")).toBe(
      true,
    );
    const notifications = await db
      .selectFrom("notification")
      .selectAll()
      .where("kind", "=", "keyward.out-of-band.detected")
      .execute();
    expect(notifications).toHaveLength(1);
    expect(JSON.parse(notifications[0]!.payload)).toMatchObject({ hsm, count: 2 });

    // Nothing changed since: the next sync finds nothing new.
    await runSync(db, handle, { kind: "incremental", trigger: "manual" }, SETTINGS);
    expect(await listOutOfBand({ hsm }, db)).toHaveLength(2);
  }, 60_000);

  it("still reports a change behind the portal's back when the portal's own refresh of the key reads it first", async () => {
    const sneaked = randomUUID();
    await createRoleAssignment(handle, {
      scope: "/keys/billing",
      roleDefinitionId: BUILT_IN_ROLE_IDS.cryptoUser,
      principalId: APP,
      name: sneaked,
    });
    const id = await h.file({
      kind: "key.update",
      hsm,
      justification: "Tag billing again for the integration test",
      items: [{ key: "billing", tags: { app: "billing", tier: "bronze" } }],
    });
    const filed = (await requestDetail(db, id))!;
    for (let n = 1; n <= filed.approvalsRequired; n += 1)
      await h.decide(id, "approve", approver(n));
    expect(await h.execute()).toContain(id);
    // What the executor's refresh does after a request: the key re-read into the mirror at once.
    await refreshKey(db, handle, "billing", { trigger: "change", notify: NOTIFY });
    const billing = await listOutOfBand({ hsm, key: "billing" }, db);
    expect(billing.map((c) => `${c.subjectKind}:${c.subjectName}:${c.what}`)).toEqual([
      `assignment:${sneaked}:added`,
    ]);
    // The sync after it sees nothing new, and records nothing twice.
    await runSync(db, handle, { kind: "incremental", trigger: "manual" }, SETTINGS);
    expect(await listOutOfBand({ hsm, key: "billing" }, db)).toHaveLength(1);
  }, 60_000);

  it("records an explanation with its audit event, once", async () => {
    const [change] = await listOutOfBand({ hsm }, db);
    const person = { id: REQUESTER.id, name: REQUESTER.name };
    const explained = await explainOutOfBand(
      change!.id,
      "Emergency tag change during incident INC-1234",
      person,
      audit("out-of-band.explain"),
      db,
    );
    expect(explained).toMatchObject({
      state: "explained",
      explainedBy: person,
      reason: "Emergency tag change during incident INC-1234",
    });
    expect(await listOutOfBand({ hsm }, db)).toHaveLength(2);
    expect(await listOutOfBand({ hsm, state: "explained" }, db)).toHaveLength(1);
    const events = await auditEvents("out-of-band.explain");
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.target)).toMatchObject({ hsm, change: change!.id });
    expect(JSON.parse(events[0]!.detail)).toMatchObject({
      reason: "Emergency tag change during incident INC-1234",
    });

    const twice = await refusal(
      explainOutOfBand(change!.id, "A second reason for it", person, audit("x.y"), db),
    );
    expect(twice.code).toBe("conflict");
    const missing = await refusal(
      explainOutOfBand(randomUUID(), "No such change at all", person, audit("x.y"), db),
    );
    expect(missing.code).toBe("not_found");
    expect(await auditEvents("out-of-band.explain")).toHaveLength(1);
  });
  // 2,500 rows of 15 columns are more parameters than one SQLite statement takes.
  it("records a large batch in chunks, and a change already open only once", async () => {
    const bulk = `oob-bulk-${dialect}`;
    const run = await startRun(db, { hsm: bulk, kind: "full", trigger: "manual" });
    await finishRun(db, run, {
      status: "succeeded",
      stats: { calls: 0, throttled: 0, retries: 0, failures: 0 },
    });
    const keys = Array.from({ length: 2_500 }, (_, i) => ({
      name: `bulk-${i}`,
      version: "v1",
      enabled: true,
      exportable: false,
      notBefore: null,
      expiresOn: null,
      tags: {},
      deleted: false,
      policy: null,
    }));
    const empty = { keys: [], assignments: [], roleDefinitions: [] };
    const input = { hsm: bulk, runId: null, before: empty, after: { ...empty, keys } };
    expect(await detectOutOfBand(db, input)).toHaveLength(2_500);
    expect(await detectOutOfBand(db, input)).toHaveLength(0);
    expect(await listOutOfBand({ hsm: bulk, limit: 3_000 }, db)).toHaveLength(2_500);
  }, 60_000);
});
