import { createHash, randomBytes, X509Certificate } from "node:crypto";
import { ConfidentialClientApplication } from "@azure/msal-node";
import {
  createClientCertificate,
  msalNetworkTrusting,
  rawRequest,
  type RawResponse,
} from "@keyward/local-https";
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SYSTEM_ASSIGNED_IDENTITY } from "../src/constants";
import { applicationOfKind, loadDirectory } from "../src/directory";
import type { IdentityProviderSecrets } from "../src/secrets";
import type { RunningIdentityProvider } from "../src/server";
import { IdpCookieJar, signInAtIdp } from "../src/testing/login-driver";
import {
  assertionForm,
  certificateAssertion,
  expectRefused,
  startTestProvider,
  TEST_PORTAL_URL,
} from "./helpers";

/*
 * Client assertions in place of the client secret, as Entra ID takes them: signed with a
 * registered certificate's key (as MSAL writes them), or a managed identity's token matching a
 * federated identity credential; for client credentials, the authorization code, refresh
 * tokens and On-Behalf-Of; refused with invalid_client and Entra's AADSTS code otherwise.
 */

const directory = loadDirectory();
const portal = applicationOfKind(directory, "portal");
const tool = applicationOfKind(directory, "tool");
const HSM_SCOPE = "https://managedhsm.azure.net/.default";
const userAssigned = {
  clientId: "0f0e4d3c-2b1a-4098-8776-655443322110",
  objectId: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
};
const unregistered = {
  clientId: "11111111-2222-4333-8444-555555555555",
  objectId: "66666666-7777-4888-9999-aaaaaaaaaaaa",
};

const certificate = await createClientCertificate({ commonName: "keyward-portal" });
const stranger = await createClientCertificate({ commonName: "not-registered" });

let provider: Awaited<ReturnType<typeof startTestProvider>>;
let caPem: string;
let secrets: IdentityProviderSecrets;
let idp: RunningIdentityProvider;
let tokenEndpoint: string;
let verifyKeys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  provider = await startTestProvider(directory, {
    clientCertificates: { [portal.appId]: [certificate.pem] },
    federatedCredentials: {
      [portal.appId]: [{ subject: DEFAULT_SYSTEM_ASSIGNED_IDENTITY.objectId }],
    },
    managedIdentity: { userAssigned: [userAssigned, unregistered] },
  });
  ({ idp, caPem, secrets } = provider);
  // Added while running, as an owner adds one to the registration.
  idp.applicationCredentials.addFederatedCredential(portal.appId, {
    subject: userAssigned.objectId,
  });
  tokenEndpoint = `${idp.issuer}/token`;
  const keys = await rawRequest(`${idp.issuer}/jwks`, "GET", { caPem });
  verifyKeys = createLocalJWKSet(keys.body as JSONWebKeySet);
});

afterAll(async () => {
  await provider?.close();
});

function tokenRequest(form: Record<string, string>): Promise<RawResponse> {
  return rawRequest(tokenEndpoint, "POST", { caPem, form });
}

const withAssertion = (assertion: string, clientId = portal.appId) =>
  assertionForm(assertion, clientId);

const appToken = (assertion: string, clientId = portal.appId) =>
  tokenRequest({
    grant_type: "client_credentials",
    scope: HSM_SCOPE,
    ...withAssertion(assertion, clientId),
  });

async function managedIdentityToken(clientId?: string): Promise<string> {
  const endpoint = idp.managedIdentity!;
  const url = new URL(endpoint.endpoint);
  url.searchParams.set("api-version", "2019-08-01");
  url.searchParams.set("resource", "api://AzureADTokenExchange");
  if (clientId) url.searchParams.set("client_id", clientId);
  const response = await fetch(url, { headers: { "X-IDENTITY-HEADER": endpoint.header } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("a certificate's client assertion", () => {
  const signed = (options: Partial<Parameters<typeof certificateAssertion>[0]> = {}) =>
    certificateAssertion({
      clientId: portal.appId,
      audience: tokenEndpoint,
      signer: certificate,
      ...options,
    });

  it("gets the application's token, saying a certificate authenticated it", async () => {
    const response = await appToken(await signed());
    expect(response.status, response.text).toBe(200);
    const { access_token: token } = response.body as { access_token: string };
    const claims = (
      await jwtVerify(token, verifyKeys, { audience: "https://managedhsm.azure.net" })
    ).payload;
    expect(claims).toMatchObject({
      appid: portal.appId,
      appidacr: "2",
      oid: portal.servicePrincipalId,
      idtyp: "app",
    });
    const sha1 = (await appToken(await signed({ alg: "RS256" }))).status;
    expect(sha1).toBe(200);
  });

  it("works through MSAL, which sends one signed assertion again until it expires", async () => {
    const x509 = new X509Certificate(certificate.certificatePem);
    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: portal.appId,
        authority: idp.issuer,
        knownAuthorities: [new URL(idp.issuer).host],
        clientCertificate: {
          thumbprintSha256: x509.fingerprint256.replaceAll(":", ""),
          privateKey: certificate.privateKeyPem,
          x5c: certificate.certificatePem,
        },
      },
      system: { networkClient: msalNetworkTrusting(caPem) },
    });
    for (const scope of [HSM_SCOPE, "https://graph.microsoft.com/.default"]) {
      const result = await msal.acquireTokenByClientCredential({ scopes: [scope] });
      expect(decodeJwt(result!.accessToken).oid).toBe(portal.servicePrincipalId);
    }
  });

  it("is refused when signed with another key than the certificate's", async () => {
    expectRefused(
      await appToken(await signed({ signer: stranger, named: certificate })),
      "AADSTS700027",
    );
  });

  it("is refused when its x5c chain is empty or is another certificate", async () => {
    const der = (pem: string) => new X509Certificate(pem).raw.toString("base64");
    expectRefused(await appToken(await signed({ x5c: [] })), "AADSTS700027");
    expectRefused(
      await appToken(await signed({ x5c: [der(stranger.certificatePem)] })),
      "AADSTS700027",
    );
    const good = await appToken(await signed({ x5c: [der(certificate.certificatePem)] }));
    expect(good.status).toBe(200);
  });

  it("is refused for a certificate the application does not have", async () => {
    expectRefused(await appToken(await signed({ signer: stranger })), "AADSTS700027");
    const toolAssertion = await signed({ clientId: tool.appId });
    expectRefused(await appToken(toolAssertion, tool.appId), "AADSTS700027");
  });

  it("is refused for another audience, or once expired", async () => {
    expectRefused(await appToken(await signed({ audience: idp.issuer })), "AADSTS700027");
    expectRefused(await appToken(await signed({ expiresIn: -900 })), "AADSTS700024");
  });

  it("takes the same assertion again, but not another one reusing its jti", async () => {
    const jti = randomBytes(8).toString("hex");
    const first = await signed({ jti });
    expect((await appToken(first)).status).toBe(200);
    expect((await appToken(first)).status).toBe(200);
    expectRefused(await appToken(await signed({ jti, expiresIn: 500 })), "AADSTS700027");
  });

  it("leaves a request with both a secret and an assertion to be refused", async () => {
    const response = await tokenRequest({
      grant_type: "client_credentials",
      scope: HSM_SCOPE,
      ...withAssertion(await signed()),
      client_secret: secrets.portalClientSecret,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: "invalid_request" });
  });

  it("keeps the client secret working beside it", async () => {
    const response = await tokenRequest({
      grant_type: "client_credentials",
      scope: HSM_SCOPE,
      client_id: portal.appId,
      client_secret: secrets.portalClientSecret,
    });
    expect(response.status, response.text).toBe(200);
    const { access_token: token } = response.body as { access_token: string };
    expect(decodeJwt(token).appidacr).toBe("1");
  });
});

describe("a managed identity as a federated identity credential", () => {
  it("gets the application's token with the system-assigned identity's token", async () => {
    const assertion = await managedIdentityToken();
    expect(decodeJwt(assertion)).toMatchObject({
      iss: idp.issuer,
      sub: DEFAULT_SYSTEM_ASSIGNED_IDENTITY.objectId,
      aud: "api://AzureADTokenExchange",
    });
    const response = await appToken(assertion);
    expect(response.status, response.text).toBe(200);
    const { access_token: token } = response.body as { access_token: string };
    expect(decodeJwt(token)).toMatchObject({ oid: portal.servicePrincipalId, appidacr: "2" });
    // MSAL caches the managed identity's token and presents it again: still fine.
    expect((await appToken(assertion)).status).toBe(200);
  });

  it("gets it with a user-assigned identity registered on the application", async () => {
    const response = await appToken(await managedIdentityToken(userAssigned.clientId));
    expect(response.status, response.text).toBe(200);
  });

  it("is refused for another subject, or for an application without the credential", async () => {
    expectRefused(
      await appToken(await managedIdentityToken(unregistered.clientId)),
      "AADSTS700213",
    );
    expectRefused(await appToken(await managedIdentityToken(), tool.appId), "AADSTS700211");
  });

  it("is refused when the token is not this provider's", async () => {
    const token = await managedIdentityToken();
    const [header, payload] = token.split(".");
    const forged = `${header}.${payload}.${randomBytes(256).toString("base64url")}`;
    expectRefused(await appToken(forged), "AADSTS700027");
  });
});

describe("assertions for every grant", () => {
  it("exchanges a code, refreshes and trades On-Behalf-Of with assertions", async () => {
    const login = "requester@keyward.test";
    const verifier = randomBytes(32).toString("base64url");
    const scope = `openid profile offline_access api://${portal.appId}/access_as_user`;
    const url = new URL(`${idp.browserOrigin}/${directory.tenant.id}/v2.0/auth`);
    for (const [name, value] of Object.entries({
      client_id: portal.appId,
      redirect_uri: `${TEST_PORTAL_URL}/api/auth/callback`,
      response_type: "code",
      scope,
      state: "s",
      nonce: "n",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }))
      url.searchParams.set(name, value);
    const password = secrets.idp.passwords[login]!;
    const { redirect } = await signInAtIdp(url.toString(), { login, password }, new IdpCookieJar());
    const signed = () =>
      certificateAssertion({
        clientId: portal.appId,
        audience: tokenEndpoint,
        signer: certificate,
      });

    const code = await tokenRequest({
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: `${TEST_PORTAL_URL}/api/auth/callback`,
      code_verifier: verifier,
      scope,
      ...withAssertion(await signed()),
    });
    expect(code.status, code.text).toBe(200);
    const tokens = code.body as { access_token: string; refresh_token: string };

    const refreshed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
      scope,
      ...withAssertion(await managedIdentityToken()),
    });
    expect(refreshed.status, refreshed.text).toBe(200);

    const obo = await tokenRequest({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion: tokens.access_token,
      requested_token_use: "on_behalf_of",
      scope: "https://managedhsm.azure.net/user_impersonation",
      ...withAssertion(await signed()),
    });
    expect(obo.status, obo.text).toBe(200);
    const { access_token: delegated } = obo.body as { access_token: string };
    expect(decodeJwt(delegated)).toMatchObject({ scp: "user_impersonation", appidacr: "2" });
  });
});
