import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { createGraphClient, type GraphClient } from "@/lib/directory/graph";
import { refreshDirectory } from "@/lib/directory/refresh";
import { groupLabels, readDirectory } from "@/lib/directory/store";
import {
  GRAPH_RESOURCE,
  LOCAL_PORTAL_CLIENT_ID,
  LOCAL_TOOL_CLIENT_ID,
} from "@/lib/identity-constants";
import { createHttpsClient } from "@/lib/net/https-client";
import { DEMO_GROUPS, DEMO_PRINCIPALS } from "@/scripts/lib/seed/demo-inventory";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The directory cache against the local identity provider's Graph-shaped API over HTTPS, with a
 * real MSAL client-credentials token: names and kinds, nested groups, deleted principals, guests,
 * and the holders of the portal's app roles.
 */

const APPLICATION_TEAMS = "26ca4580-4ff1-4ea1-9d7d-3560748fe7d0";
const KEY_TEAM = "443aa57e-69fc-4f56-8b8a-5e2bb13befc9";
const REQUESTER = "ebf4045b-c242-4ca5-9ba7-7f05fa3a76a6";

let stack: TestStack;
let graph: GraphClient;

beforeAll(async () => {
  stack = await startTestStack([{ name: "directory-test", region: "West Europe" }]);
  graph = createGraphClient({
    baseUrl: `${new URL(stack.idp.issuer).origin}/graph/v1.0`,
    resource: GRAPH_RESOURCE,
    request: createHttpsClient(stack.caPem),
    tokens: stack.credential(LOCAL_TOOL_CLIENT_ID),
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe("the Graph client", () => {
  it("refuses a caller without a token for Graph", async () => {
    const anonymous = createGraphClient({
      baseUrl: `${new URL(stack.idp.issuer).origin}/graph/v1.0`,
      resource: GRAPH_RESOURCE,
      request: createHttpsClient(stack.caPem),
      tokens: { getToken: () => Promise.resolve({ token: "not-a-token", expiresOnTimestamp: 0 }) },
    });
    await expect(anonymous.getByIds([REQUESTER])).rejects.toThrow(/directory answered 401/);
  });

  it("does not trust the identity provider without the local CA", async () => {
    const untrusting = createGraphClient({
      baseUrl: `${new URL(stack.idp.issuer).origin}/graph/v1.0`,
      resource: GRAPH_RESOURCE,
      request: createHttpsClient(undefined),
      tokens: stack.credential(LOCAL_TOOL_CLIENT_ID),
    });
    await expect(untrusting.getByIds([REQUESTER])).rejects.toThrow(/certificate/);
  });

  it("lists the portal's app role holders with the role values", async () => {
    const holders = await graph.appRoleHolders(LOCAL_PORTAL_CLIENT_ID);
    expect(holders).toContainEqual({
      principalId: KEY_TEAM,
      principalType: "Group",
      role: "Keyward.KeyAdmin",
    });
    expect(holders).toContainEqual({
      principalId: DEMO_PRINCIPALS.dualRole,
      principalType: "User",
      role: "Keyward.Approver",
    });
  });
});

describe.each(availableDialects())("the directory cache on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    const assignment = (name: string, principalId: string) => ({
      hsm: "hsm-a",
      name,
      scope: "/",
      key_lower: null,
      role_definition_id: "21dbd100-6940-42c2-9190-5d6cb909625b",
      principal_id: principalId,
    });
    await db
      .insertInto("inventory_role_assignment")
      .values([
        assignment("a1", DEMO_PRINCIPALS.paymentsApi),
        assignment("a2", APPLICATION_TEAMS),
        assignment("a3", DEMO_PRINCIPALS.orphan),
        assignment("a4", DEMO_GROUPS.cardIssuing),
      ])
      .execute();
  });

  afterAll(async () => {
    await database?.dispose();
  });

  it("describes every assigned principal, expands groups, and records deleted ones", async () => {
    const outcome = await refreshDirectory(db, graph, { portalAppId: LOCAL_PORTAL_CLIENT_ID });
    expect(outcome).toMatchObject({ groups: 2, missing: 1 });

    const snapshot = await readDirectory(db);
    expect(snapshot.principals.get(DEMO_PRINCIPALS.paymentsApi)).toMatchObject({
      kind: "servicePrincipal",
      displayName: "payments-api",
      detail: "77ec9f24-01ee-4701-9f66-faef115f006e",
      status: "exists",
    });
    expect(snapshot.principals.get(DEMO_PRINCIPALS.orphan)).toMatchObject({
      status: "missing",
      kind: "unknown",
    });
    // Nested: the requester is in Payments team, which is in Application teams.
    expect(snapshot.groupMembers.get(APPLICATION_TEAMS)).toEqual(
      expect.arrayContaining([DEMO_GROUPS.payments, REQUESTER]),
    );
    expect(snapshot.principals.get(REQUESTER)).toMatchObject({
      kind: "user",
      detail: "requester@keyward.test",
    });
    expect(snapshot.principals.get(DEMO_PRINCIPALS.guest)).toMatchObject({
      kind: "user",
      guest: true,
    });
    expect(snapshot.status.lastError).toBeNull();
    expect(snapshot.status.lastSuccessAt).toEqual(expect.any(Number));
  });

  it("labels group ids by name, as a deleted principal, or as not looked up", async () => {
    const never = "00000000-0000-4000-8000-00000000beef";
    const upper = DEMO_GROUPS.cardIssuing.toUpperCase();
    const labels = await groupLabels(db, [upper, DEMO_PRINCIPALS.orphan, never]);
    expect(labels.get(upper)).toEqual({ id: upper, status: "exists", name: "Card issuing team" });
    expect(labels.get(DEMO_PRINCIPALS.orphan)).toEqual({
      id: DEMO_PRINCIPALS.orphan,
      status: "missing",
    });
    expect(labels.get(never)).toEqual({ id: never, status: "unknown" });
  });

  it("knows who holds the portal roles, and through which group", async () => {
    const { portalRoleHolders } = await readDirectory(db);
    const of = (id: string) => portalRoleHolders.filter((h) => h.principalId === id);
    expect(of(DEMO_PRINCIPALS.dualRole)).toEqual(
      expect.arrayContaining([
        { principalId: DEMO_PRINCIPALS.dualRole, role: "Keyward.Approver", viaGroupId: null },
        { principalId: DEMO_PRINCIPALS.dualRole, role: "Keyward.KeyAdmin", viaGroupId: KEY_TEAM },
      ]),
    );
  });

  it("keeps the last good cache and records the error when the directory fails", async () => {
    const failing: GraphClient = {
      ...graph,
      appRoleHolders: () => Promise.reject(new Error("The directory answered 503 to GET /x.")),
    };
    await expect(
      refreshDirectory(db, failing, { portalAppId: LOCAL_PORTAL_CLIENT_ID }),
    ).rejects.toThrow(/503/);
    const snapshot = await readDirectory(db);
    expect(snapshot.status.lastError).toMatch(/503/);
    expect(snapshot.principals.get(DEMO_PRINCIPALS.paymentsApi)?.displayName).toBe("payments-api");
  });
});
