import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ManagedIdentityApplication } from "@azure/msal-node";
import { createClientCertificate, loadLocalTls, rawRequest } from "@keyward/local-https";
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { DEFAULT_SYSTEM_ASSIGNED_IDENTITY } from "../src/constants";
import { applicationOfKind, loadDirectory } from "../src/directory";
import type { RunningIdentityProvider } from "../src/server";
import { certificateAssertion, startCommand, startTestProvider } from "./helpers";

/*
 * App Service's managed identity endpoint as MSAL's ManagedIdentityApplication calls it (the
 * header secret, api-version, resource, client_id), the tokens it issues, and the command's
 * flags for certificates, federated credentials and the endpoint.
 */

const directory = loadDirectory();
const portal = applicationOfKind(directory, "portal");
const EXCHANGE = "api://AzureADTokenExchange";
const HEADER = "a-header-secret-for-the-managed-identity-tests";
const userAssigned = {
  clientId: "0f0e4d3c-2b1a-4098-8776-655443322110",
  objectId: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
};

let provider: Awaited<ReturnType<typeof startTestProvider>>;
let caPem: string;
let idp: RunningIdentityProvider;
let endpoint: string;

beforeAll(async () => {
  provider = await startTestProvider(directory);
  ({ idp, caPem } = provider);
  // Started on a provider that runs already, as a test of another project would.
  ({ endpoint } = await idp.startManagedIdentityEndpoint({
    header: HEADER,
    userAssigned: [userAssigned],
  }));
});

afterAll(async () => {
  await provider?.close();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

function ask(query: Record<string, string>, header?: string, method = "GET") {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return fetch(url, { method, headers: header ? { "X-IDENTITY-HEADER": header } : {} });
}

const exchange = { "api-version": "2019-08-01", resource: EXCHANGE };

describe("the managed identity endpoint", () => {
  it("is App Service's: plain HTTP on loopback", () => {
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/msi\/token$/);
    expect(idp.managedIdentity?.header).toBe(HEADER);
  });

  it("wants its header secret", async () => {
    expect((await ask(exchange)).status).toBe(401);
    expect((await ask(exchange, "not-the-header")).status).toBe(401);
  });

  it("refuses a malformed request, an unknown identity and other resources", async () => {
    expect((await ask({ resource: EXCHANGE }, HEADER)).status).toBe(400);
    expect((await ask({ ...exchange, client_id: crypto.randomUUID() }, HEADER)).status).toBe(400);
    const other = await ask({ ...exchange, resource: "https://managedhsm.azure.net" }, HEADER);
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({
      statusCode: 400,
      message: expect.any(String) as unknown,
    });
    expect((await ask(exchange, HEADER, "POST")).status).toBe(405);
    // Two identifiers could name two identities: refused, even when they name the same one.
    const both = {
      ...exchange,
      client_id: userAssigned.clientId,
      object_id: userAssigned.objectId,
    };
    expect((await ask(both, HEADER)).status).toBe(400);
    expect((await ask({ ...exchange, client_id: userAssigned.clientId }, HEADER)).status).toBe(200);
  });

  it("issues the system-assigned identity's token, signed by the provider", async () => {
    const response = await ask(exchange, HEADER);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({
      resource: EXCHANGE,
      token_type: "Bearer",
      client_id: DEFAULT_SYSTEM_ASSIGNED_IDENTITY.clientId,
      expires_on: expect.stringMatching(/^\d+$/) as unknown,
    });
    const keys = await rawRequest(`${idp.issuer}/jwks`, "GET", { caPem });
    const { payload } = await jwtVerify(
      body.access_token!,
      createLocalJWKSet(keys.body as JSONWebKeySet),
      { issuer: idp.issuer, audience: EXCHANGE },
    );
    expect(payload).toMatchObject({
      sub: DEFAULT_SYSTEM_ASSIGNED_IDENTITY.objectId,
      oid: DEFAULT_SYSTEM_ASSIGNED_IDENTITY.objectId,
      tid: directory.tenant.id,
    });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(15 * 60);
    expect(Number(body.expires_on)).toBe(payload.exp);
  });

  it("answers MSAL's ManagedIdentityApplication, system- and user-assigned", async () => {
    vi.stubEnv("IDENTITY_ENDPOINT", endpoint);
    vi.stubEnv("IDENTITY_HEADER", HEADER);
    const system = await new ManagedIdentityApplication().acquireToken({ resource: EXCHANGE });
    expect(decodeJwt(system.accessToken).sub).toBe(DEFAULT_SYSTEM_ASSIGNED_IDENTITY.objectId);
    const user = await new ManagedIdentityApplication({
      managedIdentityIdParams: { userAssignedClientId: userAssigned.clientId },
    }).acquireToken({ resource: EXCHANGE });
    expect(decodeJwt(user.accessToken).sub).toBe(userAssigned.objectId);
  });

  it("starts once", async () => {
    await expect(idp.startManagedIdentityEndpoint()).rejects.toThrow(/running/);
  });
});

describe("the identity-provider command", () => {
  it("registers certificates and federated credentials, and serves managed identities", async () => {
    const commandDir = fs.mkdtempSync(path.join(os.tmpdir(), "identity-provider-command-"));
    const certificate = await createClientCertificate();
    const certificateFile = path.join(commandDir, "portal.pem");
    fs.writeFileSync(certificateFile, certificate.pem, { mode: 0o600 });
    const { child, output } = await startCommand(
      commandDir,
      [
        ...["--client-certificate", `${portal.appId}=${certificateFile}`],
        ...[
          "--federated-credential",
          `${portal.appId}=${DEFAULT_SYSTEM_ASSIGNED_IDENTITY.objectId}`,
        ],
        ...["--managed-identity-port", "0"],
        ...["--user-assigned-identity", `${userAssigned.clientId}=${userAssigned.objectId}`],
      ],
      "system-assigned",
    );
    try {
      const issuer = /issuer\s+(\S+)/.exec(output)?.[1] ?? "";
      const envFile = path.join(commandDir, "managed-identity.env");
      expect(fs.statSync(envFile).mode & 0o077).toBe(0);
      const variables = Object.fromEntries(
        fs
          .readFileSync(envFile, "utf8")
          .trim()
          .split("\n")
          .map((line) => line.split("=", 2)),
      ) as Record<string, string>;
      expect(output).toContain(variables.IDENTITY_ENDPOINT);
      expect(output).not.toContain(variables.IDENTITY_HEADER);

      const { caPem: commandCa } = await loadLocalTls(commandDir);
      const token = (form: Record<string, string>) =>
        rawRequest(`${issuer}/token`, "POST", { caPem: commandCa, form });
      const assertion = await certificateAssertion({
        clientId: portal.appId,
        audience: `${issuer}/token`,
        signer: certificate,
      });
      const base = {
        grant_type: "client_credentials",
        scope: "https://managedhsm.azure.net/.default",
        client_id: portal.appId,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      };
      expect((await token({ ...base, client_assertion: assertion })).status).toBe(200);

      const url = new URL(variables.IDENTITY_ENDPOINT!);
      url.searchParams.set("api-version", "2019-08-01");
      url.searchParams.set("resource", EXCHANGE);
      const identity = await fetch(url, {
        headers: { "X-IDENTITY-HEADER": variables.IDENTITY_HEADER! },
      });
      const { access_token: federated } = (await identity.json()) as { access_token: string };
      expect((await token({ ...base, client_assertion: federated })).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      fs.rmSync(commandDir, { recursive: true, force: true });
    }
  });
});
