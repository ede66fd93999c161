import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import type { HsmHandle } from "@/lib/hsm/handle";
import { createKey, findKey } from "@/lib/hsm/key-writes";
import { getRotationPolicy } from "@/lib/hsm/keys";
import { fileRequest, type Filer } from "@/lib/requests/filing";
import { requestDetail } from "@/lib/requests/store";
import {
  approver,
  audit,
  grantPortalRoles,
  portalHandle,
  refusal,
  requestHarness,
  type RequestHarness,
} from "@/lib/requests/testing/fixture";
import { whatIfAll } from "@/lib/sod/engine";
import { app, buildModel } from "@/lib/sod/testing";
import { refreshKey } from "@/lib/sync/service";
import { findTemplate } from "@/lib/templates/store";
import type { KeyTemplateInput } from "@/lib/templates/template";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * Key templates end to end on SQLite and (when configured) PostgreSQL: a template filed and
 * approved as a template.upsert, keys made from it (a 0-approval template executes at once),
 * the rotation policy set after the key is made — also when the executor died between the two —
 * and what a requester may and may not file for their group's keys.
 */

const dialects = availableDialects();
const PAYMENTS = "3243182d-1727-4605-9abd-29ce37fe0480";
const IDENTITY = "7f3c2a91-5e64-4b0d-9c8e-2a1f6d4b7e10";
const APP = "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe";
const USER = "ebf4045b-c242-4ca5-9ba7-7f05fa3a76a6";
const DAY = 86_400_000;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(
    dialects.map((d) => ({ name: `templates-${d}`, region: "West Europe" })),
  );
  for (const d of dialects)
    await grantPortalRoles(stack, `templates-${d}`, [
      BUILT_IN_ROLE_IDS.cryptoUser,
      BUILT_IN_ROLE_IDS.cryptoOfficer,
    ]);
}, 60_000);
afterAll(async () => stack?.close());

const template = (hsm: string, change: Partial<KeyTemplateInput> = {}): KeyTemplateInput => ({
  name: "data-key-wrap",
  title: "Data key wrap (oct-HSM 256)",
  purpose: "Wraps an application's data keys",
  kty: "oct",
  size: 256,
  keyOps: ["wrapKey", "unwrapKey"],
  rotationPolicy: {
    lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P1Y" }],
    expiresIn: "P2Y",
  },
  maxExpiry: "P2Y",
  tags: [{ name: "environment", values: ["dev", "test", "prod"] }, { name: "app" }],
  namingRule: "{group}-{app}-{environment}-{nn}",
  hsms: [hsm],
  approvals: 0,
  ...change,
});

describe.each(dialects)("key templates on %s", (dialect) => {
  const hsm = `templates-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let h: RequestHarness;
  const justification = "Needed for the integration test";
  const requester: Filer = {
    id: USER,
    name: "Remy Requester",
    ownGroupsOnly: new Set([PAYMENTS]),
  };
  const state = async (id: string) => (await requestDetail(db, id))!;
  const fileAs = (filer: Filer, kind: string, items: unknown[]) =>
    fileRequest(
      { db, handleOf: () => handle, sealKeys: [h.sealKey] },
      filer,
      { kind: kind as never, hsm, justification, items },
      audit("request.file", filer),
    );

  /** Files, approves with as many approvers as it needs, executes; returns the settled request. */
  async function run(kind: string, items: unknown[], filer?: Filer) {
    const id = filer
      ? (await fileAs(filer, kind, items)).request.id
      : await h.file({
          kind: kind as never,
          hsm: kind === "template.upsert" ? undefined : hsm,
          justification,
          items,
        });
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
    const at = Date.now();
    await db
      .insertInto("directory_object")
      .values([
        {
          id: PAYMENTS,
          kind: "group",
          display_name: "Payments team",
          detail: null,
          guest: 0,
          fetched_at: at,
        },
        {
          id: IDENTITY,
          kind: "group",
          display_name: "Identity team",
          detail: null,
          guest: 0,
          fetched_at: at,
        },
        {
          id: APP,
          kind: "servicePrincipal",
          display_name: "payments-api",
          detail: null,
          guest: 0,
          fetched_at: at,
        },
        {
          id: USER,
          kind: "user",
          display_name: "Remy Requester",
          detail: null,
          guest: 0,
          fetched_at: at,
        },
      ])
      .execute();
  }, 60_000);
  afterAll(() => database.dispose());

  it("keeps a template through a template.upsert request with two approvals", async () => {
    const done = await run("template.upsert", [template(hsm)]);
    expect(done.approvalsRequired).toBe(2);
    expect(done.state).toBe("executed");
    expect((await findTemplate(db, "data-key-wrap"))?.template).toMatchObject({
      approvals: 0,
      hsms: [hsm],
    });
    const unknownHsm = await refusal(
      fileRequest(
        {
          db,
          handleOf: (name) => {
            if (name !== hsm) throw new Error("unknown");
            return handle;
          },
          sealKeys: [h.sealKey],
        },
        approver(9),
        { kind: "template.upsert", justification, items: [template("nowhere")] },
        audit("request.file"),
      ),
    );
    expect(unknownHsm.message).toBe("The portal has no HSM named nowhere.");
  });

  it("makes a key from a 0-approval template at once, with its policy, tags and longest expiry", async () => {
    const filed = (
      await fileAs(requester, "key.create", [
        { template: "data-key-wrap", group: PAYMENTS, tags: { app: "shop", environment: "prod" } },
      ])
    ).request;
    expect(filed).toMatchObject({ state: "approved", approvalsRequired: 0 });
    expect(filed.timeline.map((e) => e.what)).toEqual(["filed", "approved"]);
    expect(await h.execute()).toContain(filed.id);
    expect((await state(filed.id)).state).toBe("executed");
    const key = (await findKey(handle, "payments-shop-prod-01", "background"))!;
    expect(key.tags).toEqual({
      app: "shop",
      environment: "prod",
      owner: PAYMENTS,
      template: "data-key-wrap",
    });
    expect(key.expiresOn! - Date.now()).toBeGreaterThan(729 * DAY);
    expect(key.expiresOn! - Date.now()).toBeLessThan(732 * DAY);
    expect(await getRotationPolicy(handle, "payments-shop-prod-01", "background")).toMatchObject({
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P1Y" }],
      expiresIn: "P2Y",
    });
    await refreshKey(db, handle, "payments-shop-prod-01", { trigger: "change" });

    const second = await run(
      "key.create",
      [{ template: "data-key-wrap", group: PAYMENTS, tags: { app: "shop", environment: "prod" } }],
      requester,
    );
    expect(second.items[0]!.target.key).toBe("payments-shop-prod-02");
  });

  it("sets the rotation policy of a key whose executor died after making it", async () => {
    const filed = (
      await fileAs(requester, "key.create", [
        {
          template: "data-key-wrap",
          group: PAYMENTS,
          name: "payments-resume-dev-01",
          tags: { app: "resume", environment: "dev" },
        },
      ])
    ).request;
    // The dead executor claimed the item and made the key, then nothing more.
    await db
      .updateTable("change_request")
      .set({ state: "executing" })
      .where("id", "=", filed.id)
      .execute();
    await db
      .updateTable("change_request_item")
      .set({
        state: "executing",
        attempts: 1,
        started_at: Date.now(),
        claimed_until: Date.now() + 1000,
      })
      .where("request_id", "=", filed.id)
      .execute();
    await createKey(handle, "payments-resume-dev-01", { kty: "oct", size: 256 });
    expect(await h.execute(10 * 60_000)).toContain(filed.id);
    const done = await state(filed.id);
    expect(done.state).toBe("executed");
    expect(done.items[0]!.after).toMatchObject({
      confirmedByReadingBack: true,
      rotationPolicySet: true,
    });
    expect(await getRotationPolicy(handle, "payments-resume-dev-01", "background")).toMatchObject({
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P1Y" }],
    });
  });

  it("refuses what the template forbids, with the rule in words", async () => {
    const missing = await refusal(
      fileAs(requester, "key.create", [
        { template: "data-key-wrap", group: PAYMENTS, tags: { app: "shop" } },
      ]),
    );
    expect(missing.message).toBe(
      "The template data-key-wrap refuses this key: the template data-key-wrap needs the tag environment: one of dev, test, prod.",
    );
    const otherGroup = await refusal(
      fileAs(requester, "key.create", [
        { template: "data-key-wrap", group: IDENTITY, tags: { app: "x", environment: "dev" } },
      ]),
    );
    expect(otherGroup).toEqual({
      code: "forbidden",
      message: "The key's group must be one of your groups.",
    });
    const full = await refusal(fileAs(requester, "key.create", [{ key: "free-form", kty: "RSA" }]));
    expect(full.code).toBe("forbidden");
    const mixed = await refusal(
      fileAs(requester, "key.create", [
        { template: "data-key-wrap", group: PAYMENTS, tags: { app: "a", environment: "dev" } },
        { key: "free-form", kty: "RSA" },
      ]),
    );
    expect(mixed.message).toMatch(/from a template or keys described in full, not both/);
    const unknown = await refusal(
      fileAs(requester, "key.create", [{ template: "nope-nope", group: PAYMENTS }]),
    );
    expect(unknown).toEqual({
      code: "not_found",
      message: "There is no key template named nope-nope.",
    });
  });

  it("lets the key team make a key from a template for any group, under the template's approvals", async () => {
    const done = await run("key.create", [
      { template: "data-key-wrap", group: IDENTITY, tags: { app: "sso", environment: "test" } },
    ]);
    expect(done.state).toBe("executed");
    expect(done.items[0]!.target.key).toBe("identity-sso-test-01");
  });

  it("holds a requester to their own keys, key-scoped usage roles and applications", async () => {
    await createKey(handle, "identity-secret", {
      kty: "oct",
      size: 256,
      tags: { owner: IDENTITY },
    });
    await refreshKey(db, handle, "identity-secret", { trigger: "change" });
    const key = "payments-shop-prod-01";
    const grant = (change: Record<string, unknown> = {}) => ({
      scope: `/keys/${key}`,
      roleDefinitionId: BUILT_IN_ROLES.cryptoUser,
      principalId: APP,
      ...change,
    });
    const cases: [string, string, unknown, string][] = [
      ["another group's key", "key.rotate", { key: "identity-secret" }, "not_found"],
      ["a key that does not exist", "key.rotate", { key: "nothing-here" }, "not_found"],
      ["access to every key", "role-assignment.create", grant({ scope: "/keys" }), "forbidden"],
      [
        "the Administrator role",
        "role-assignment.create",
        grant({ roleDefinitionId: BUILT_IN_ROLES.administrator }),
        "forbidden",
      ],
      ["access for a user", "role-assignment.create", grant({ principalId: USER }), "forbidden"],
      [
        "access to another group's key",
        "role-assignment.create",
        grant({ scope: "/keys/identity-secret" }),
        "not_found",
      ],
      [
        "an expiry beyond the template",
        "key.update",
        { key, expiresOn: new Date(Date.now() + 800 * DAY).toISOString() },
        "validation_failed",
      ],
      ["deleting their key", "key.delete", { key }, "forbidden"],
    ];
    for (const [what, kind, item, code] of cases) {
      const refused = await refusal(fileAs(requester, kind, [item]));
      expect(`${what}: ${refused.code}`).toBe(`${what}: ${code}`);
    }

    // Inside the template (0 approvals here): each runs at once, one after the other.
    const inTurn = async (kind: string, item: unknown) => {
      const filed = (await fileAs(requester, kind, [item])).request;
      expect(filed).toMatchObject({ state: "approved", approvalsRequired: 0 });
      await h.execute();
      expect((await state(filed.id)).state).toBe("executed");
    };
    await inTurn("key.rotate", { key });
    await inTurn("key.update", { key, expiresOn: new Date(Date.now() + 700 * DAY).toISOString() });
    await inTurn("role-assignment.create", grant());
  });

  it("refuses a requester's grant that would add a critical separation-of-duties finding", async () => {
    // The access as the separation-of-duties engine sees it: the application administers the HSM.
    const model = buildModel({ principals: [app(APP)], assignments: [`${APP}:administrator@/`] });
    const refused = await refusal(
      fileRequest(
        {
          db,
          handleOf: () => handle,
          sealKeys: [h.sealKey],
          criticalFindingsOf: (_hsm, added) =>
            Promise.resolve(
              whatIfAll(
                model,
                added.map((a) => ({ op: "add" as const, assignment: { hsm: "hsm-a", ...a } })),
              ).added.filter((finding) => finding.severity === "critical"),
            ),
        },
        requester,
        {
          kind: "role-assignment.create",
          hsm,
          justification,
          items: [
            {
              scope: "/keys/payments-shop-prod-01",
              roleDefinitionId: BUILT_IN_ROLES.cryptoUser,
              principalId: APP,
            },
          ],
        },
        audit("request.file", requester),
      ),
    );
    expect(refused.code).toBe("conflict");
    expect(refused.message).toMatch(
      /^This access would create a critical separation-of-duties finding: .* can grant roles \(.*Administrator.*\) and holds .*Crypto User.* Ask the key team\.$/,
    );
  });
});
