import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ServerError, type ConfidentialClientApplication } from "@azure/msal-node";
import {
  loadDirectory,
  startIdentityProvider,
  type RunningIdentityProvider,
} from "@keyward/identity-provider";
import { IdpCookieJar, signInAtIdp } from "@keyward/identity-provider/testing";
import { ensureLocalTls, freePort } from "@keyward/local-https";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { authConfigFrom, type AuthConfig } from "@/lib/auth/config";
import { applicationTokenSource, delegatedTokenSource } from "@/lib/auth/credentials";
import { createMsal, type Msal } from "@/lib/auth/msal";
import { endSessionUrl } from "@/lib/auth/session-tokens";
import { authTimeOf, beginSignIn, completeSignIn, SignInError } from "@/lib/auth/sign-in";
import type { Db } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { loadEnv } from "@/lib/env";
import { LOCAL_PORTAL_CLIENT_ID, MANAGED_HSM_RESOURCE } from "@/lib/identity-constants";
import type { LocalSecrets } from "@/lib/local-secrets";
import { ensureLocalSecrets } from "@/scripts/lib/local-secrets";

/*
 * The sign-in flow with its real parts: the local identity provider (oidc-provider over HTTPS
 * with the local CA) started in this process, MSAL as the portal uses it, and a test database.
 */

const USERS = {
  keyadmin: "keyadmin@keyward.test",
  requester: "requester@keyward.test",
  newcomer: "newcomer@keyward.test",
} as const;

let dataDir: string;
let idp: RunningIdentityProvider;
let secrets: LocalSecrets;
let config: AuthConfig;
let msal: Msal;
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-signin-test-"));
  const tls = await ensureLocalTls(dataDir);
  secrets = await ensureLocalSecrets(dataDir, loadDirectory());
  const [port, loginPort] = [await freePort(), await freePort()];
  idp = await startIdentityProvider({
    secrets,
    tls: { cert: fs.readFileSync(tls.certFile, "utf8"), key: fs.readFileSync(tls.keyFile, "utf8") },
    port,
    loginPort,
    portalUrl: "http://localhost:3999",
    logLevel: "silent",
  });
  config = authConfigFrom(
    loadEnv({
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_PORT: "3999",
      KEYWARD_IDP_PORT: String(port),
      KEYWARD_IDP_LOGIN_PORT: String(loginPort),
    }),
  );
  msal = createMsal(config);
  database = await createTestDatabase("sqlite");
  db = await database.openMigrated();
});

afterAll(async () => {
  await idp.close();
  await database.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const credentials = (login: string) => ({ login, password: secrets.idp.passwords[login]! });

async function signIn(
  login: string,
  options: { reauthenticate?: boolean; jar?: IdpCookieJar } = {},
) {
  const started = await beginSignIn(msal, config, {
    returnTo: "/status",
    reauthenticate: options.reauthenticate ?? false,
  });
  const { redirect, formShown } = await signInAtIdp(started.url, credentials(login), options.jar);
  const query = Object.fromEntries(redirect.searchParams);
  return { started, redirect, query, formShown };
}

async function complete(
  login: string,
  options: { reauthenticate?: boolean; jar?: IdpCookieJar } = {},
) {
  const { started, query, formShown } = await signIn(login, options);
  const result = await completeSignIn(msal, config, db, {
    query,
    cookie: started.cookie,
    userAgent: "vitest",
  });
  return { ...result, formShown };
}

describe("sign-in with MSAL against the local identity provider", () => {
  it("signs a key administrator in, with the role granted through their group", async () => {
    const { session, returnTo, token } = await complete(USERS.keyadmin);
    expect(returnTo).toBe("/status");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session).toMatchObject({
      userOid: "6ec0599a-cfa8-4ec8-a150-82230c3f8ed6",
      tenantId: config.tenantId,
      displayName: "Kim Keyadmin",
      username: USERS.keyadmin,
      roles: ["Keyward.KeyAdmin"],
      authTime: null,
    });
  });

  it("carries a requester's groups, through nesting, into the session", async () => {
    const { session } = await complete(USERS.requester);
    expect(session.roles).toEqual(["Keyward.Requester"]);
    expect(session.groups.sort()).toEqual([
      "26ca4580-4ff1-4ea1-9d7d-3560748fe7d0",
      "3243182d-1727-4605-9abd-29ce37fe0480",
    ]);
  });

  it("signs in a user without any portal role, who then holds none", async () => {
    expect((await complete(USERS.newcomer)).session.roles).toEqual([]);
  });

  it("reuses the provider's session silently, but demands credentials again when asked to", async () => {
    const jar = new IdpCookieJar();
    expect((await complete(USERS.keyadmin, { jar })).formShown).toBe(true);
    expect((await complete(USERS.keyadmin, { jar })).formShown).toBe(false);
    const before = Date.now();
    const fresh = await complete(USERS.keyadmin, { jar, reauthenticate: true });
    expect(fresh.formShown).toBe(true);
    expect(fresh.session.authTime).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it.each<
    [
      string,
      (
        s: Awaited<ReturnType<typeof signIn>>,
        other: Awaited<ReturnType<typeof signIn>>,
      ) => { query: Record<string, string>; cookie: string | undefined },
      string,
    ]
  >([
    [
      "a callback without the browser's sign-in cookie",
      (s) => ({ query: s.query, cookie: undefined }),
      "expired",
    ],
    [
      "a tampered sign-in cookie",
      (s) => ({ query: s.query, cookie: s.started.cookie.slice(0, -4) + "AAAA" }),
      "expired",
    ],
    [
      "another browser's sign-in (state mismatch)",
      (s, other) => ({ query: s.query, cookie: other.started.cookie }),
      "expired",
    ],
    [
      "a cancelled sign-in",
      (s) => ({
        query: { error: "access_denied", state: s.query.state ?? "" },
        cookie: s.started.cookie,
      }),
      "cancelled",
    ],
    [
      "an error from the provider",
      (s) => ({
        query: { error: "server_error", error_description: "boom", state: s.query.state ?? "" },
        cookie: s.started.cookie,
      }),
      "failed",
    ],
    [
      "an error in the address that is not for this browser's sign-in",
      (s) => ({
        query: { error: "server_error", error_description: "x".repeat(8_000) },
        cookie: s.started.cookie,
      }),
      "expired",
    ],
  ])("refuses %s", async (_name, tamper, reason) => {
    const attempt = await signIn(USERS.keyadmin);
    const other = await signIn(USERS.requester);
    const { query, cookie } = tamper(attempt, other);
    const result = completeSignIn(msal, config, db, { query, cookie, userAgent: "vitest" });
    await expect(result).rejects.toBeInstanceOf(SignInError);
    // Nothing here reached the provider's token endpoint: not for the audit log.
    await expect(result).rejects.toMatchObject({ reason, afterCodeRedemption: false });
  });

  it("refuses an authorization code used twice", async () => {
    const { started, query } = await signIn(USERS.keyadmin);
    await completeSignIn(msal, config, db, { query, cookie: started.cookie, userAgent: "vitest" });
    await expect(
      completeSignIn(msal, config, db, { query, cookie: started.cookie, userAgent: "vitest" }),
    ).rejects.toMatchObject({
      reason: "failed",
    });
  });
});

describe("authTimeOf", () => {
  const createdAt = 1_900_000_000_000;
  const transaction = (reauthenticate: boolean) => ({ reauthenticate, createdAt });
  it.each([
    ["an ordinary sign-in without the claim", false, undefined, null],
    ["an ordinary sign-in with it", false, 1_800_000_000, 1_800_000_000_000],
    ["a fresh sign-in after the transaction began", true, createdAt / 1000 + 5, createdAt + 5_000],
    ["a fresh sign-in within the clock skew", true, createdAt / 1000 - 30, createdAt - 30_000],
    ["a fresh sign-in without the claim", true, undefined, /no auth_time claim/],
    ["a fresh sign-in that reused an older one", true, createdAt / 1000 - 3_600, /reused/],
  ] as const)("%s", (_name, reauthenticate, authTime, expected) => {
    const run = () => authTimeOf(authTime, transaction(reauthenticate));
    if (expected instanceof RegExp) {
      expect(run).toThrow(expected);
      expect(() => run()).toThrow(
        expect.objectContaining({ afterCodeRedemption: true }) as unknown,
      );
    } else expect(run()).toBe(expected);
  });
});

describe("tokens for lib/hsm", () => {
  it("exchanges a session's token On-Behalf-Of the user for a Managed HSM token", async () => {
    const { session } = await complete(USERS.keyadmin);
    const source = delegatedTokenSource(msal, config, db, session);
    const first = await source.getToken(`${MANAGED_HSM_RESOURCE}/.default`);
    expect(decodeJwt(first!.token)).toMatchObject({
      aud: MANAGED_HSM_RESOURCE,
      oid: session.userOid,
      tid: config.tenantId,
      idtyp: "user",
      scp: "user_impersonation",
      appid: LOCAL_PORTAL_CLIENT_ID,
      upn: USERS.keyadmin,
      ver: "1.0",
    });
    const second = await source.getToken([`${MANAGED_HSM_RESOURCE}/.default`]);
    expect(second!.token).toBe(first!.token);
  });

  it("gets the portal's own application token for Managed HSM", async () => {
    const token = await applicationTokenSource(msal).getToken(`${MANAGED_HSM_RESOURCE}/.default`);
    const portal = loadDirectory().applications.find((a) => a.appId === LOCAL_PORTAL_CLIENT_ID)!;
    expect(decodeJwt(token!.token)).toMatchObject({
      aud: MANAGED_HSM_RESOURCE,
      oid: portal.servicePrincipalId,
      sub: portal.servicePrincipalId,
      idtyp: "app",
    });
    expect(token!.expiresOnTimestamp).toBeGreaterThan(Date.now());
  });

  it("refuses an application token as an On-Behalf-Of assertion", async () => {
    const appToken = await applicationTokenSource(msal).getToken(
      `${MANAGED_HSM_RESOURCE}/.default`,
    );
    const client: ConfidentialClientApplication = await msal.client();
    const attempt = client.acquireTokenOnBehalfOf({
      oboAssertion: appToken!.token,
      scopes: [`${MANAGED_HSM_RESOURCE}/.default`],
    });
    await expect(attempt).rejects.toBeInstanceOf(ServerError);
    await expect(attempt).rejects.toMatchObject({ errorCode: "invalid_grant" });
  });

  it("sends sign-out to the provider with the ID token as hint", async () => {
    const { session } = await complete(USERS.requester);
    const url = new URL((await endSessionUrl(msal, config, db, session))!);
    expect(url.origin).toBe(idp.browserOrigin);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(
      "http://localhost:3999/signed-out",
    );
    expect(decodeJwt(url.searchParams.get("id_token_hint")!)).toMatchObject({
      oid: session.userOid,
    });
  });
});
