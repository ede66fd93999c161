import { generateKeyPairSync, randomUUID } from "node:crypto";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import type { HsmHandle } from "@/lib/hsm/handle";
import { findDeletedKey, findKey } from "@/lib/hsm/key-writes";
import { getPublicKey, getRotationPolicy } from "@/lib/hsm/keys";
import { findRoleAssignment, findRoleDefinition } from "@/lib/hsm/rbac-writes";
import { findSetting } from "@/lib/hsm/settings";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { decideRequest } from "@/lib/requests/decisions";
import { fileRequest } from "@/lib/requests/filing";
import { currentPolicy } from "@/lib/requests/policies";
import { DEFAULT_POLICIES } from "@/lib/requests/policy";
import { requestDetail } from "@/lib/requests/store";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

import {
  approver,
  audit,
  grantPortalRoles,
  portalHandle,
  refusal,
  REQUESTER,
  requestHarness,
  type RequestHarness,
} from "./testing/fixture";

/*
 * Every kind of change request end to end, on SQLite and (when configured) PostgreSQL: filed
 * against the emulator through the real SDK, decided, executed by the executor, and read back
 * from the HSM; and the rules around it: no self-approval, no second approval by the same
 * person, two approvals where the policy says so, a stale request writes nothing.
 */

const APP = "9b4f2f7e-2a43-4d8e-9f57-0d3c1e6a8b21";
const dialects = availableDialects();
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(
    dialects.map((d) => ({ name: `requests-${d}`, region: "West Europe" })),
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `requests-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
}, 60_000);
afterAll(async () => stack?.close());

describe.each(dialects)("change requests on %s", (dialect) => {
  const hsm = `requests-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let h: RequestHarness;
  const state = async (id: string) => (await requestDetail(db, id))!;
  const justification = "Needed for the integration test";

  /** Files, approves with as many approvers as it needs, executes; returns the settled request. */
  async function run(kind: string, items: unknown[]) {
    const id = await h.file({ kind: kind as never, hsm, justification, items });
    const filed = await state(id);
    for (let n = 1; n <= filed.approvalsRequired; n += 1)
      await h.decide(id, "approve", approver(n));
    expect(await h.execute()).toContain(id);
    return state(id);
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(stack, hsm);
    h = requestHarness(db, stack, hsm, handle);
  }, 60_000);
  afterAll(() => database.dispose());

  it("creates, updates, rotates, sets a rotation policy, deletes, recovers and purges a key", async () => {
    let done = await run("key.create", [
      {
        key: "orders",
        kty: "EC",
        curve: "P-384",
        tags: { app: "orders" },
        keyOps: ["sign", "verify"],
      },
    ]);
    expect(done.state).toBe("executed");
    const created = (await findKey(handle, "orders", "background"))!;
    expect(created).toMatchObject({ family: "EC", curve: "P-384", tags: { app: "orders" } });

    done = await run("key.update", [
      {
        key: "orders",
        enabled: false,
        tags: { app: "orders", tier: "1" },
        expiresOn: "2030-01-01T00:00:00Z",
      },
    ]);
    expect(done.state).toBe("executed");
    expect(await findKey(handle, "orders", "background")).toMatchObject({
      enabled: false,
      tags: { app: "orders", tier: "1" },
      expiresOn: Date.parse("2030-01-01T00:00:00Z"),
    });

    const noPolicy = await refusal(
      h.file({ kind: "key.rotate", hsm, justification, items: [{ key: "orders" }] }),
    );
    expect(noPolicy.code).toBe("conflict");
    expect(noPolicy.message).toMatch(/no rotation policy/);
    const policy = {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
      expiresIn: "P1Y",
    };
    done = await run("key.rotation-policy", [{ key: "orders", policy }]);
    expect(done.state).toBe("executed");
    expect(await getRotationPolicy(handle, "orders", "background")).toMatchObject({
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null }],
      expiresIn: "P1Y",
    });

    done = await run("key.rotate", [{ key: "orders" }]);
    expect(done.state).toBe("executed");
    expect((await findKey(handle, "orders", "background"))!.version).not.toBe(created.version);

    done = await run("key.delete", [{ key: "orders" }]);
    expect([done.state, done.approvalsRequired]).toEqual(["executed", 2]);
    expect(await findKey(handle, "orders", "background")).toBeNull();
    done = await run("key.recover", [{ key: "orders" }]);
    expect(done.state).toBe("executed");
    expect(await findKey(handle, "orders", "background")).not.toBeNull();

    await run("key.delete", [{ key: "orders" }]);
    done = await run("key.purge", [{ key: "orders" }]);
    expect(done.state).toBe("executed");
    expect(await findDeletedKey(handle, "orders", "background")).toBeNull();
  });

  it("imports a key whose private half is sealed while it waits and never stored after", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = privateKey.export({ format: "jwk" });
    const id = await h.file({
      kind: "key.import",
      hsm,
      justification,
      items: [{ key: "imported", jwk }],
    });
    const stored = await db
      .selectFrom("change_request_item")
      .selectAll()
      .where("request_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(stored.change).not.toContain(jwk.d!);
    expect(stored.sealed_secret).not.toContain(jwk.d!);
    expect((await state(id)).items[0]!.change).not.toHaveProperty("jwk.d");
    await h.decide(id, "approve", approver(1));
    await h.execute();
    expect((await state(id)).state).toBe("executed");
    const after = await db
      .selectFrom("change_request_item")
      .select("sealed_secret")
      .where("request_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(after.sealed_secret).toBeNull();
    const published = (await getPublicKey(handle, "imported"))!;
    expect(published.jwk.x).toBe(publicKey.export({ format: "jwk" }).x);
  });

  it("grants and revokes a key-scoped role, and changes a custom role and a setting", async () => {
    await h
      .file({
        kind: "key.create",
        hsm,
        justification,
        items: [{ key: "billing", kty: "RSA", size: 2048 }],
      })
      .then(async (id) => {
        await h.decide(id, "approve", approver(1));
        await h.execute();
      });
    let done = await run("role-assignment.create", [
      { scope: "/keys/billing", roleDefinitionId: BUILT_IN_ROLE_IDS.cryptoUser, principalId: APP },
    ]);
    expect(done.state).toBe("executed");
    const name = done.items[0]!.target.name!;
    expect(await findRoleAssignment(handle, "/keys/billing", name, "background")).toMatchObject({
      principalId: APP,
    });
    await db
      .insertInto("inventory_role_assignment")
      .values({
        hsm,
        name,
        scope: "/keys/billing",
        key_lower: "billing",
        role_definition_id: BUILT_IN_ROLE_IDS.cryptoUser,
        principal_id: APP,
      })
      .execute();
    done = await run("role-assignment.delete", [{ name }]);
    expect(done.state).toBe("executed");
    expect(await findRoleAssignment(handle, "/keys/billing", name, "background")).toBeNull();

    const role = randomUUID();
    done = await run("role-definition.upsert", [
      {
        name: role,
        roleName: "Key reader",
        description: "reads keys",
        dataActions: ["Microsoft.KeyVault/managedHsm/keys/read/action"],
      },
    ]);
    expect([done.state, done.approvalsRequired]).toEqual(["executed", 2]);
    expect(await findRoleDefinition(handle, role, "background")).toMatchObject({
      roleName: "Key reader",
    });
    done = await run("role-definition.delete", [{ name: role }]);
    expect(await findRoleDefinition(handle, role, "background")).toBeNull();

    done = await run("setting.update", [
      { name: "AllowKeyManagementOperationsThroughARM", value: "true" },
    ]);
    expect(done.state).toBe("executed");
    expect(
      await findSetting(handle, "AllowKeyManagementOperationsThroughARM", "background"),
    ).toMatchObject({ value: "true" });
  });

  it("changes an approval policy only through an approved request", async () => {
    const id = await h.file({
      kind: "policy.update",
      justification,
      items: [{ kind: "key.rotate", policy: { approvals: 2, windowHours: 24 } }],
    });
    expect((await state(id)).approvalsRequired).toBe(2);
    expect((await currentPolicy(db, "key.rotate")).approvals).toBe(1);
    await h.decide(id, "approve", approver(1));
    await h.decide(id, "approve", approver(2));
    await h.execute();
    expect((await state(id)).state).toBe("executed");
    expect(await currentPolicy(db, "key.rotate")).toMatchObject({ approvals: 2, windowHours: 24 });
  });

  it("refuses self-approval and a second approval by the same person; a delete needs two", async () => {
    await h
      .file({
        kind: "key.create",
        hsm,
        justification,
        items: [{ key: "to-delete", kty: "oct", size: 256 }],
      })
      .then(async (id) => {
        await h.decide(id, "approve", approver(1));
        await h.execute();
      });
    const id = await h.file({
      kind: "key.delete",
      hsm,
      justification,
      items: [{ key: "to-delete" }],
    });
    const self = await refusal(h.decide(id, "approve", { ...approver(1), id: REQUESTER.id }));
    expect(self).toMatchObject({ code: "forbidden" });
    expect(self.message).toMatch(/You filed this request/);
    await h.decide(id, "approve", approver(1));
    expect((await state(id)).state).toBe("pending");
    expect(await refusal(h.decide(id, "approve", approver(1)))).toMatchObject({
      code: "forbidden",
    });
    expect(await h.execute()).not.toContain(id);
    await h.decide(id, "approve", approver(2));
    expect((await state(id)).state).toBe("approved");
    await h.execute();
    expect((await state(id)).state).toBe("executed");
    expect(await refusal(h.decide(id, "approve", approver(3)))).toMatchObject({ code: "conflict" });
  });

  it("files a request once per Idempotency-Key, even when the same key arrives twice at once", async () => {
    const input = {
      kind: "key.create" as const,
      hsm,
      justification,
      items: [{ key: "idempotent", kty: "EC" }],
    };
    const deps = { db, handleOf: () => handle, sealKeys: [h.sealKey] };
    const file = () =>
      fileRequest(deps, REQUESTER, input, audit("request.file"), "client-key-0001");
    const [a, b] = await Promise.all([file(), file()]);
    const again = await file();
    expect(new Set([a.request.id, b.request.id, again.request.id]).size).toBe(1);
    expect([a.created, b.created, again.created].filter(Boolean)).toHaveLength(1);
    const other = await fileRequest(
      deps,
      { ...REQUESTER, id: "someone-else" },
      input,
      audit("request.file"),
      "client-key-0001",
    );
    expect(other.request.id).not.toBe(a.request.id);
  });

  it("counts two approvals given at the same moment", async () => {
    // PostgreSQL: a second pool, as a second portal instance. SQLite: one connection per process
    // (a second one in this process would wait on the first while blocking it).
    const other = dialect === "postgres" ? requestHarness(database.open(), stack, hsm, handle) : h;
    const ids = await Promise.all(
      // The policies as they are: executing these later changes nothing other tests rely on.
      (
        [
          "key.import",
          "key.recover",
          "key.purge",
          "role-definition.delete",
          "setting.update",
        ] as const
      ).map((kind) =>
        h.file({
          kind: "policy.update",
          justification,
          items: [{ kind, policy: DEFAULT_POLICIES[kind] }],
        }),
      ),
    );
    await Promise.all(
      ids.flatMap((id) => [
        h.decide(id, "approve", approver(1)),
        other.decide(id, "approve", approver(2)),
      ]),
    );
    for (const id of ids) {
      const decided = await state(id);
      expect([decided.state, decided.approvals]).toEqual(["approved", 2]);
    }
  });

  it("asks an approver with an old sign-in to sign in again, and records a rejection's reason", async () => {
    const id = await h.file({
      kind: "key.create",
      hsm,
      justification,
      items: [{ key: "never", kty: "EC" }],
    });
    expect(
      await refusal(
        h.decide(id, "approve", { ...approver(1), authTime: Date.now() - 11 * 60_000 }),
      ),
    ).toMatchObject({ code: "reauthentication_required" });
    await h.decide(id, "reject", approver(2), { comment: "Use the shared signing key instead" });
    const rejected = await state(id);
    expect(rejected.state).toBe("rejected");
    expect(rejected.decisions[0]).toMatchObject({
      decision: "reject",
      comment: "Use the shared signing key instead",
    });
    expect(await findKey(handle, "never", "background")).toBeNull();
  });

  it("marks a request stale when its key changed out of band, and writes nothing", async () => {
    await h
      .file({
        kind: "key.create",
        hsm,
        justification,
        items: [{ key: "drifting", kty: "EC", tags: { app: "a" } }],
      })
      .then(async (id) => {
        await h.decide(id, "approve", approver(1));
        await h.execute();
      });
    const id = await h.file({
      kind: "key.update",
      hsm,
      justification,
      items: [{ key: "drifting", tags: { app: "b" } }],
    });
    await stack
      .keyClient(hsm, LOCAL_TOOL_CLIENT_ID)
      .updateKeyProperties("drifting", { tags: { app: "out-of-band" } });
    await h.decide(id, "approve", approver(1));
    await h.execute();
    const stale = await state(id);
    expect(stale.state).toBe("stale");
    expect(stale.items[0]!.state).toBe("stale");
    expect(stale.items[0]!.error).toMatch(/changed since the request was filed/);
    expect((await findKey(handle, "drifting", "background"))!.tags).toEqual({ app: "out-of-band" });
  });

  it("refuses at filing what cannot apply, naming the item", async () => {
    expect(
      await refusal(
        h.file({ kind: "key.rotate", hsm, justification, items: [{ key: "no-such-key" }] }),
      ),
    ).toMatchObject({ code: "not_found" });
    // In a bulk request the refusal names the key, not only the item's position.
    const bulk = await refusal(
      h.file({
        kind: "key.rotate",
        hsm,
        justification,
        items: [{ key: "no-such-key" }, { key: "no-such-key-either" }],
      }),
    );
    expect(bulk.message).toMatch(/^Item 0 \(no-such-key\): HSM \S+ has no key named no-such-key\./);
    const notify = await refusal(
      h.file({
        kind: "key.rotation-policy",
        hsm,
        justification,
        items: [
          {
            key: "orders",
            policy: {
              lifetimeActions: [{ action: "Notify", timeBeforeExpiry: "P30D" }],
              expiresIn: "P1Y",
            },
          },
        ],
      }),
    );
    expect(notify.code).toBe("validation_failed");
    expect(notify.message).toMatch(/Notify/);
    const invalid = await refusal(
      h.file({
        kind: "key.create",
        hsm,
        justification,
        items: [
          { key: "ok", kty: "RSA" },
          { key: "bad", kty: "RSA", size: 1024 },
        ],
      }),
    );
    expect(invalid.code).toBe("validation_failed");
    expect(invalid.message).toMatch(/\/items\/1\/size/);
  });

  it("tells the route its event is recorded, so that one call makes one event", async () => {
    const recorded: string[] = [];
    const context = (action: string) => ({
      ...audit(action),
      onRecorded: (event: { action: string }) => recorded.push(event.action),
    });
    const deps = { db, handleOf: () => handle, sealKeys: [h.sealKey] };
    const { request } = await fileRequest(
      deps,
      REQUESTER,
      { kind: "key.create", hsm, justification, items: [{ key: "told", kty: "EC" }] },
      context("request.file"),
    );
    await decideRequest(
      { db },
      request.id,
      "reject",
      approver(1),
      { comment: "no" },
      context("request.reject"),
    );
    expect(recorded).toEqual(["request.file", "request.reject"]);
  });

  it("records each step in the audit log in the step's own transaction", async () => {
    const id = await h.file({
      kind: "key.create",
      hsm,
      justification,
      items: [{ key: "audited", kty: "EC" }],
    });
    await h.decide(id, "approve", approver(1));
    await h.execute();
    const events = await db
      .selectFrom("audit_event")
      .select(["action", "outcome", "target"])
      .where("target", "like", `%${id}%`)
      .orderBy("seq")
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      "request.file",
      "request.approve",
      "request.execute.start",
      "request.item.execute",
      "request.execute",
    ]);
  });
});
