import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadLocalTls, rawRequest, type RawResponse } from "@keyward/local-https";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { applicationOfKind, findUserByLogin, loadDirectory } from "../src/directory";
import type { IdentityProviderSecrets } from "../src/secrets";
import type { RunningIdentityProvider } from "../src/server";
import { IdpCookieJar, signInAtIdp } from "../src/testing/login-driver";
import { startCommand, startTestProvider, TEST_PORTAL_URL } from "./helpers";

/*
 * The provider on the wire, as Entra ID's clients meet it: discovery, client credentials with
 * Entra-shaped v1.0 tokens, the authorization code flow with PKCE through the sign-in form,
 * On-Behalf-Of, and the Graph-shaped directory with Graph's authorization rules.
 */

const directory = loadDirectory();
const portal = applicationOfKind(directory, "portal");
const tool = applicationOfKind(directory, "tool");
const keyTeam = directory.groups.find((g) => g.displayName === "Key team")!;
const applicationTeams = directory.groups.find((g) => g.displayName === "Application teams")!;

let provider: Awaited<ReturnType<typeof startTestProvider>>;
let caPem: string;
let secrets: IdentityProviderSecrets;
let idp: RunningIdentityProvider;
let verifyKeys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  provider = await startTestProvider(directory);
  ({ idp, caPem, secrets } = provider);
  const discovery = (await get(`${idp.issuer}/.well-known/openid-configuration`)).body as {
    jwks_uri: string;
  };
  verifyKeys = createLocalJWKSet((await get(discovery.jwks_uri)).body as JSONWebKeySet);
});

afterAll(async () => {
  await provider?.close();
});

const get = (url: string, token?: string) => rawRequest(url, "GET", { caPem, token });

function tokenRequest(form: Record<string, string>): Promise<RawResponse> {
  return rawRequest(`${idp.issuer}/token`, "POST", { caPem, form });
}

async function verified(token: string, audience: string): Promise<JWTPayload> {
  return (await jwtVerify(token, verifyKeys, { audience, algorithms: ["RS256"] })).payload;
}

async function appToken(scope: string, clientId = tool.appId, secret = secrets.toolClientSecret) {
  const response = await tokenRequest({
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: secret,
    scope,
  });
  expect(response.status, response.text).toBe(200);
  return (response.body as { access_token: string }).access_token;
}

describe("discovery", () => {
  it("names its endpoints under the issuer, and sends browsers to the sign-in origin", async () => {
    const response = await get(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      issuer: idp.issuer,
      token_endpoint: `${idp.issuer}/token`,
      authorization_endpoint: expect.stringMatching(
        new RegExp(`^${idp.browserOrigin}/`),
      ) as unknown,
    });
    expect(idp.issuer).toMatch(/^https:\/\/localhost:\d+\/[0-9a-f-]{36}\/v2\.0$/);
  });
});

describe("client credentials", () => {
  it("issues a v1.0 Managed HSM token naming the application and its service principal", async () => {
    const claims = await verified(
      await appToken("https://managedhsm.azure.net/.default"),
      "https://managedhsm.azure.net",
    );
    expect(claims).toMatchObject({
      ver: "1.0",
      appid: tool.appId,
      oid: tool.servicePrincipalId,
      tid: directory.tenant.id,
      idtyp: "app",
    });
    expect(claims.scp).toBeUndefined();
  });

  it("puts the application's Graph permissions in roles", async () => {
    const claims = await verified(
      await appToken("https://graph.microsoft.com/.default"),
      "https://graph.microsoft.com",
    );
    expect(claims.roles).toEqual(["Directory.Read.All"]);
  });

  it("refuses a wrong client secret", async () => {
    const response = await tokenRequest({
      grant_type: "client_credentials",
      client_id: tool.appId,
      client_secret: "not-the-secret-not-the-secret-not-the-secret",
      scope: "https://managedhsm.azure.net/.default",
    });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: "invalid_client" });
  });
});

describe("the authorization code flow", () => {
  async function signIn(login: string, password = secrets.idp.passwords[login]!) {
    const verifier = randomBytes(32).toString("base64url");
    const scope = `openid profile offline_access api://${portal.appId}/access_as_user`;
    const url = new URL(`${idp.browserOrigin}/${directory.tenant.id}/v2.0/auth`);
    const nonce = randomBytes(8).toString("hex");
    for (const [name, value] of Object.entries({
      client_id: portal.appId,
      redirect_uri: `${TEST_PORTAL_URL}/api/auth/callback`,
      response_type: "code",
      scope,
      state: "s",
      nonce,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }))
      url.searchParams.set(name, value);
    const { redirect } = await signInAtIdp(url.toString(), { login, password }, new IdpCookieJar());
    const response = await tokenRequest({
      grant_type: "authorization_code",
      client_id: portal.appId,
      client_secret: secrets.portalClientSecret,
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: `${TEST_PORTAL_URL}/api/auth/callback`,
      code_verifier: verifier,
      // As MSAL does: the scope names the resource the access token is for.
      scope,
    });
    expect(response.status, response.text).toBe(200);
    return { ...(response.body as { id_token: string; access_token: string }), nonce };
  }

  it("signs a user in and carries their portal roles (through a group) and groups", async () => {
    const user = findUserByLogin(directory, "keyadmin@keyward.test")!;
    const tokens = await signIn(user.userPrincipalName);
    const id = await verified(tokens.id_token, portal.appId);
    expect(id).toMatchObject({
      oid: user.id,
      tid: directory.tenant.id,
      preferred_username: user.userPrincipalName,
      name: user.displayName,
      nonce: tokens.nonce,
      roles: ["Keyward.KeyAdmin"],
    });
    expect(id.groups).toContain(keyTeam.id);
  });

  it("refuses a wrong password", async () => {
    await expect(signIn("keyadmin@keyward.test", "Kw-WRONG-WRONG-WRONG")).rejects.toThrow(
      /sign-in refused/,
    );
  });

  it("trades the user's token for a Managed HSM token as that user (On-Behalf-Of)", async () => {
    const user = findUserByLogin(directory, "requester@keyward.test")!;
    const { access_token: assertion } = await signIn(user.userPrincipalName);
    const response = await tokenRequest({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      client_id: portal.appId,
      client_secret: secrets.portalClientSecret,
      assertion,
      requested_token_use: "on_behalf_of",
      scope: "https://managedhsm.azure.net/user_impersonation",
    });
    expect(response.status, response.text).toBe(200);
    const claims = await verified(
      (response.body as { access_token: string }).access_token,
      "https://managedhsm.azure.net",
    );
    expect(claims).toMatchObject({ oid: user.id, scp: "user_impersonation", ver: "1.0" });

    const refused = await tokenRequest({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      client_id: portal.appId,
      client_secret: secrets.portalClientSecret,
      assertion: await appToken(`api://${portal.appId}/.default`),
      requested_token_use: "on_behalf_of",
      scope: "https://managedhsm.azure.net/user_impersonation",
    });
    expect(refused.status).toBe(400);
  });
});

describe("the Graph-shaped directory", () => {
  const graph = (pathAndQuery: string) =>
    `https://localhost:${new URL(idp.issuer).port}/graph/v1.0/${pathAndQuery}`;

  it("wants a Graph token holding Directory.Read.All", async () => {
    const target = graph(`groups/${keyTeam.id}`);
    expect((await get(target)).status).toBe(401);
    const hsmToken = await appToken("https://managedhsm.azure.net/.default");
    expect((await get(target, hsmToken)).status).toBe(401);
    const response = await get(target, await appToken("https://graph.microsoft.com/.default"));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: keyTeam.id, displayName: "Key team" });
  });

  it("lists a group's members through nested groups", async () => {
    const token = await appToken("https://graph.microsoft.com/.default");
    const response = await get(graph(`groups/${applicationTeams.id}/transitiveMembers`), token);
    const names = (response.body as { value: { displayName: string }[] }).value.map(
      (o) => o.displayName,
    );
    expect(names).toEqual(
      expect.arrayContaining(["Payments team", "Remy Requester", "Ana Vendor (guest)"]),
    );
  });

  it("answers 404 for an unknown object and 400 for a malformed path", async () => {
    const token = await appToken("https://graph.microsoft.com/.default");
    const missing = await get(graph("users/00000000-0000-0000-0000-000000000000"), token);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: "Request_ResourceNotFound" } });
    expect((await get(graph("users/%ff"), token)).status).toBe(400);
  });
});

describe("the identity-provider command", () => {
  it("starts on free ports, keeps its secrets to its owner and says where it listens", async () => {
    const commandDir = fs.mkdtempSync(path.join(os.tmpdir(), "identity-provider-command-"));
    const { child, output } = await startCommand(commandDir, [], "sign-in pages");
    try {
      const issuer = /issuer\s+(\S+)/.exec(output)?.[1] ?? "";
      expect(issuer).toMatch(/^https:\/\/localhost:\d+\//);
      const own = await loadLocalTls(commandDir);
      const discovery = await rawRequest(`${issuer}/.well-known/openid-configuration`, "GET", {
        caPem: own.caPem,
      });
      expect(discovery.status).toBe(200);
      const secretsFile = path.join(commandDir, "identity-provider.json");
      expect(fs.statSync(secretsFile).mode & 0o077).toBe(0);
    } finally {
      child.kill("SIGTERM");
      fs.rmSync(commandDir, { recursive: true, force: true });
    }
  });
});
