import { randomUUID } from "node:crypto";
import { GRAPH_RESOURCE } from "@keyward/identity-provider";
import { rawRequest } from "@keyward/local-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLE_IDS } from "../src/rbac/builtin-roles";
import { ACTIONS } from "../src/rbac/data-actions";
import { startTestStack, type TestStack } from "../src/testing";
import { DOCUMENTED_BUILT_IN_ROLES } from "./documented-roles";

/*
 * Local RBAC, authentication and the wire quirks, with raw HTTPS requests built from the 7.6
 * spec: the built-in roles with their exact GUIDs, custom roles, assignments at every scope,
 * and enforcement on every call.
 */

const HSM = "rbac-weu";
const PAYMENTS = "77ec9f24-01ee-4701-9f66-faef115f006e";
const REPORTING = "2ce6c976-bc2d-491d-968d-b0994eefa113";
const ROLE_PATH = "Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions";

let stack: TestStack;
const admin = (method: string, path: string, body?: unknown) =>
  stack.request(HSM, stack.toolClientId, method, path, body);
const as = (appId: string, method: string, path: string, body?: unknown) =>
  stack.request(HSM, appId, method, path, body);
const errorOf = (response: { body: unknown }) =>
  (response.body as { error: { code: string; message: string } }).error;

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  const tool = stack.principalOf(stack.toolClientId);
  await stack.grant(HSM, tool, BUILT_IN_ROLE_IDS.cryptoUser);
  for (const name of ["pay-key", "other-key"])
    expect(
      (await admin("POST", `/keys/${name}/create`, { kty: "RSA", key_size: 2048 })).status,
    ).toBe(200);
});

afterAll(() => stack.close());

describe("authentication", () => {
  it("challenges a request without a token exactly as Managed HSM does", async () => {
    const response = await stack.request(HSM, null, "GET", "/keys");
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe(
      `Bearer authorization="https://login.microsoftonline.com/3966fe37-63ec-4ee1-b5e7-288724de1c79", resource="https://managedhsm.azure.net"`,
    );
    expect(errorOf(response).code).toBe("Unauthorized");
  });

  it("refuses a token for another audience, and garbage", async () => {
    const graphToken = (await stack
      .credential(stack.toolClientId)
      .getToken(`${GRAPH_RESOURCE}/.default`))!.token;
    const url = `${stack.hsmUrl(HSM)}/keys?api-version=7.6`;
    expect((await rawRequest(url, "GET", { caPem: stack.caPem, token: graphToken })).status).toBe(
      401,
    );
    expect((await rawRequest(url, "GET", { caPem: stack.caPem, token: "a.b.c" })).status).toBe(401);
  });
});

describe("the wire format", () => {
  it.each([
    ["an encoded api-version key", "/keys?api%2Dversion=7.6", 200],
    ["Debian's python api-version", "/keys?api-version=7.4-preview.1", 200],
    ["2025-07-01", "/keys?api-version=2025-07-01", 200],
    ["no api-version", "/keys?maxresults=2", 400],
    ["an unknown api-version", "/keys?api-version=1.0", 400],
    ["a trailing slash (latest version)", "/keys/pay-key/?api-version=7.6", 200],
    ["repeated slashes", "//keys//pay-key?api-version=7.6", 200],
    ["maxresults over 25", "/keys?api-version=7.6&maxresults=26", 400],
  ])("handles %s", async (_name, path, status) => {
    const url = `${stack.hsmUrl(HSM)}${path}`;
    const token = (await stack
      .credential(stack.toolClientId)
      .getToken("https://managedhsm.azure.net/.default"))!.token;
    const response = await rawRequest(url, "GET", { caPem: stack.caPem, token });
    expect(response.status).toBe(status);
    if (path.includes("1.0"))
      expect(errorOf(response).message).toBe(
        "The specified version (1.0) is not recognized. Consider using the latest supported version (2025-07-01).",
      );
  });

  it("signs with the latest version when the version segment is empty", async () => {
    const response = await admin("POST", "/keys/pay-key//sign", {
      alg: "RS256",
      value: Buffer.alloc(32, 7).toString("base64url"),
    });
    expect(response.status).toBe(200);
    expect((response.body as { kid: string }).kid).toMatch(/\/keys\/pay-key\/[0-9a-f]{32}$/);
  });

  it("builds nextLink and kid on the origin the client used", async () => {
    const token = (await stack
      .credential(stack.toolClientId)
      .getToken("https://managedhsm.azure.net/.default"))!.token;
    const viaIp = stack.hsmUrl(HSM).replace("localhost", "127.0.0.1");
    const response = await rawRequest(`${viaIp}/keys?api-version=7.6&maxresults=1`, "GET", {
      caPem: stack.caPem,
      token,
    });
    const page = response.body as { value: { kid: string }[]; nextLink: string };
    expect(page.value[0]!.kid.startsWith(viaIp)).toBe(true);
    expect(page.nextLink.startsWith(`${viaIp}/keys?`)).toBe(true);
    const next = await rawRequest(page.nextLink, "GET", { caPem: stack.caPem, token });
    expect((next.body as { value: unknown[] }).value).toHaveLength(1);
  });
});

describe("role definitions", () => {
  it("lists the nine built-in roles with their exact GUIDs, at scope / written any way", async () => {
    const response = await admin("GET", "///providers/Microsoft.Authorization/roleDefinitions");
    const roles = (
      response.body as {
        value: { id: string; name: string; properties: { roleName: string; type: string } }[];
      }
    ).value;
    expect(roles.map((r) => [r.name, r.properties.roleName]).sort()).toEqual(
      DOCUMENTED_BUILT_IN_ROLES.map(([guid, roleName]) => [guid, roleName]).sort(),
    );
    expect(
      roles.every(
        (r) => r.id === `${ROLE_PATH}/${r.name}` && r.properties.type === "AKVBuiltInRole",
      ),
    ).toBe(true);
  });

  it("creates, updates and deletes a custom role", async () => {
    const name = randomUUID();
    const path = `/providers/Microsoft.Authorization/roleDefinitions/${name}`;
    const body = (dataActions: string[]) => ({
      properties: {
        roleName: "Key reader",
        type: "CustomRole",
        description: "reads keys",
        permissions: [{ dataActions }],
      },
    });
    const created = await admin("PUT", path, body([ACTIONS.keysRead]));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: `${ROLE_PATH}/${name}`,
      properties: { type: "CustomRole", assignableScopes: ["/"] },
    });
    expect((await admin("PUT", path, body([ACTIONS.keysRead, ACTIONS.keysSign]))).status).toBe(201);
    expect(
      (
        (await admin("GET", path)).body as {
          properties: { permissions: { dataActions: string[] }[] };
        }
      ).properties.permissions[0]!.dataActions,
    ).toHaveLength(2);
    expect((await admin("DELETE", path)).status).toBe(200);
    expect((await admin("GET", path)).status).toBe(404);
  });

  it.each([
    [
      "a built-in role's GUID",
      BUILT_IN_ROLE_IDS.cryptoUser,
      [ACTIONS.keysRead],
      "Cannot re-use the name/GUID matching that of a built-in role. Please use a unique role ID.",
    ],
    [
      "an unknown data action",
      randomUUID(),
      ["Microsoft.KeyVault/managedHsm/keys/teleport/action"],
      "Unknown data action(s): Microsoft.KeyVault/managedHsm/keys/teleport/action.",
    ],
  ])("refuses %s", async (_name, guid, dataActions, message) => {
    const response = await admin(
      "PUT",
      `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
      { properties: { roleName: "x", permissions: [{ dataActions }] } },
    );
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: "BadParameter", message });
  });

  it("refuses to delete a built-in role", async () => {
    expect(
      (
        await admin(
          "DELETE",
          `/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLE_IDS.backup}`,
        )
      ).status,
    ).toBe(400);
  });
});

describe("role assignments and their enforcement", () => {
  const assign = (scopePath: string, principalId: string, role: string, name = randomUUID()) =>
    admin("PUT", `${scopePath}/providers/Microsoft.Authorization/roleAssignments/${name}`, {
      properties: { roleDefinitionId: `${ROLE_PATH}/${role}`, principalId },
    });

  it("assigns at /, /keys and /keys/{name}, and lists each scope on its own", async () => {
    const reporting = stack.principalOf(REPORTING);
    const payments = stack.principalOf(PAYMENTS);
    expect((await assign("///", reporting, BUILT_IN_ROLE_IDS.cryptoAuditor)).status).toBe(201);
    const keyScoped = await assign("/keys/pay-key", payments, BUILT_IN_ROLE_IDS.cryptoUser);
    expect(keyScoped.status).toBe(201);
    expect(keyScoped.body).toMatchObject({
      id: expect.stringMatching(
        /^\/keys\/pay-key\/providers\/Microsoft.Authorization\/roleAssignments\//,
      ) as unknown,
      properties: { scope: "/keys/pay-key" },
    });

    const atRoot = (
      await admin("GET", "/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()")
    ).body as { value: { properties: { scope: string; principalId: string } }[] };
    expect(
      atRoot.value.every((a) => a.properties.scope === "/" || a.properties.scope === "/keys"),
    ).toBe(true);
    expect(atRoot.value.some((a) => a.properties.principalId === reporting)).toBe(true);
    const atKey = (
      await admin("GET", "/keys/pay-key/providers/Microsoft.Authorization/roleAssignments")
    ).body as { value: { properties: { principalId: string } }[] };
    expect(atKey.value.map((a) => a.properties.principalId)).toEqual([payments]);
    const byPrincipal = (
      await admin(
        "GET",
        `/providers/Microsoft.Authorization/roleAssignments?$filter=principalId eq '${reporting}'`,
      )
    ).body as { value: unknown[] };
    expect(byPrincipal.value).toHaveLength(1);
  });

  it("a Crypto Auditor reads keys but cannot create or use one", async () => {
    expect((await as(REPORTING, "GET", "/keys")).status).toBe(200);
    expect((await as(REPORTING, "GET", "/keys/pay-key")).status).toBe(200);
    const create = await as(REPORTING, "POST", "/keys/auditor-key/create", { kty: "EC" });
    expect(create.status).toBe(403);
    expect(errorOf(create)).toMatchObject({ code: "Forbidden" });
    expect(errorOf(create).message).toContain(
      "Action: 'Microsoft.KeyVault/managedHsm/keys/create'",
    );
    const sign = await as(REPORTING, "POST", "/keys/pay-key/sign", {
      alg: "RS256",
      value: Buffer.alloc(32).toString("base64url"),
    });
    expect(errorOf(sign).message).toContain("keys/sign/action");
  });

  it("a key-scoped Crypto User signs with that key only", async () => {
    const body = { alg: "RS256", value: Buffer.alloc(32, 1).toString("base64url") };
    expect((await as(PAYMENTS, "POST", "/keys/pay-key/sign", body)).status).toBe(200);
    const other = await as(PAYMENTS, "POST", "/keys/other-key/sign", body);
    expect(other.status).toBe(403);
    expect(errorOf(other).message).toContain("Resource: '/keys/other-key'");
    expect((await as(PAYMENTS, "GET", "/keys")).status).toBe(403);
  });

  it("removes an assignment, after which access ends", async () => {
    const name = randomUUID();
    expect(
      (
        await assign(
          "/keys/other-key",
          stack.principalOf(PAYMENTS),
          BUILT_IN_ROLE_IDS.cryptoUser,
          name,
        )
      ).status,
    ).toBe(201);
    const body = { alg: "RS256", value: Buffer.alloc(32, 2).toString("base64url") };
    expect((await as(PAYMENTS, "POST", "/keys/other-key/sign", body)).status).toBe(200);
    expect(
      (
        await admin(
          "DELETE",
          `/keys/other-key/providers/Microsoft.Authorization/roleAssignments/${name}`,
        )
      ).status,
    ).toBe(200);
    expect((await as(PAYMENTS, "POST", "/keys/other-key/sign", body)).status).toBe(403);
    expect(
      (
        await admin(
          "DELETE",
          `/keys/other-key/providers/Microsoft.Authorization/roleAssignments/${name}`,
        )
      ).status,
    ).toBe(404);
  });

  it.each([
    ["an unknown role", () => assign("/", stack.principalOf(PAYMENTS), randomUUID()), 400],
    [
      "a principal that is not a GUID",
      () =>
        admin("PUT", `/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`, {
          properties: {
            roleDefinitionId: `${ROLE_PATH}/${BUILT_IN_ROLE_IDS.cryptoAuditor}`,
            principalId: "someone",
          },
        }),
      400,
    ],
    [
      "a scope that is not one of /, /keys, /keys/{name}",
      () => assign("/secrets", stack.principalOf(PAYMENTS), BUILT_IN_ROLE_IDS.cryptoAuditor),
      404,
    ],
  ])("refuses %s", async (_name, attempt, status) => {
    expect((await attempt()).status).toBe(status);
  });

  it("holds at most 10 assignments per key", async () => {
    for (let i = 0; i < 10; i += 1)
      expect(
        (await assign("/keys/other-key", randomUUID(), BUILT_IN_ROLE_IDS.cryptoAuditor)).status,
      ).toBe(201);
    const eleventh = await assign("/keys/other-key", randomUUID(), BUILT_IN_ROLE_IDS.cryptoAuditor);
    expect(eleventh.status).toBe(400);
    expect(errorOf(eleventh).message).toContain("10 role assignments");
  });

  it("refuses to delete a custom role still assigned", async () => {
    const role = randomUUID();
    await admin("PUT", `/providers/Microsoft.Authorization/roleDefinitions/${role}`, {
      properties: { roleName: "signer", permissions: [{ dataActions: [ACTIONS.keysSign] }] },
    });
    await assign("/keys/pay-key", randomUUID(), role);
    expect(
      (await admin("DELETE", `/providers/Microsoft.Authorization/roleDefinitions/${role}`)).status,
    ).toBe(409);
  });
});

describe("settings, security domain and the audit log", () => {
  it("lets an administrator read and change settings, and nobody else", async () => {
    expect((await admin("GET", "/settings")).body).toEqual({
      settings: [
        { name: "AllowKeyManagementOperationsThroughARM", value: "false", type: "boolean" },
      ],
    });
    expect(
      (await admin("PATCH", "/settings/AllowKeyManagementOperationsThroughARM", { value: "true" }))
        .body,
    ).toMatchObject({ value: "true" });
    expect(
      (await admin("GET", "/settings/AllowKeyManagementOperationsThroughARM")).body,
    ).toMatchObject({ value: "true" });
    expect(
      (await admin("PATCH", "/settings/AllowKeyManagementOperationsThroughARM", { value: "maybe" }))
        .status,
    ).toBe(400);
    expect((await admin("GET", "/settings/NoSuchSetting")).status).toBe(404);
    expect((await as(REPORTING, "GET", "/settings")).status).toBe(403);
  });

  it("reports the security domain as activated", async () => {
    expect((await admin("GET", "/securitydomain/download/pending")).body).toMatchObject({
      status: "Success",
    });
  });

  it("records every call, with its caller and outcome", async () => {
    const response = await admin("GET", "/emulator/audit");
    const events = (
      response.body as {
        value: {
          operation: string;
          caller: string | null;
          outcome: string;
          keyName: string | null;
        }[];
      }
    ).value;
    expect(
      events.some(
        (e) => e.operation === "KeyCreate" && e.keyName === "pay-key" && e.outcome === "success",
      ),
    ).toBe(true);
    expect(
      events.some(
        (e) =>
          e.operation === "KeyCreate" &&
          e.keyName === "auditor-key" &&
          e.outcome === "denied" &&
          e.caller === stack.principalOf(REPORTING),
      ),
    ).toBe(true);
    expect(events.some((e) => e.caller === null && e.outcome === "denied")).toBe(true);
  });
});
