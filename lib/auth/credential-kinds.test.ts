import fs from "node:fs";
import path from "node:path";
import { createClientCertificate } from "@keyward/local-https";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import { applicationTokenSource, type TokenSource } from "@/lib/auth/credentials";
import { createMsal, type MsalSettings } from "@/lib/auth/msal";
import { createHsmHandle } from "@/lib/hsm/handle";
import { LOCAL_PORTAL_CLIENT_ID, MANAGED_HSM_RESOURCE } from "@/lib/identity-constants";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The portal's application identity by each credential kind it can be configured with, through
 * its own MSAL set-up and real @azure/msal-node against the local identity provider: a client
 * certificate (a client assertion signed with its key), and a managed identity (App Service's
 * endpoint, found by MSAL through IDENTITY_ENDPOINT and IDENTITY_HEADER) presented as a
 * federated identity credential. Each token is the portal's own and works on the emulator; a
 * credential the provider does not know fails with invalid_client, which the doctor explains.
 */

const HSM = "credential-kinds";
const USER_ASSIGNED = {
  clientId: "4f8a2c1e-9b3d-4e57-a6c0-1d2e3f4a5b6c",
  objectId: "7c6b5a4f-3e2d-4c1b-8a09-f8e7d6c5b4a3",
};
/** Served by the endpoint, but no federated credential of the portal names it. */
const UNTRUSTED_IDENTITY = {
  clientId: "9e8d7c6b-5a49-4382-b716-a5b4c3d2e1f0",
  objectId: "0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d",
};

let stack: TestStack;
let certificateFile: string;
let unknownCertificateFile: string;

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  await stack.grant(HSM, stack.principalOf(LOCAL_PORTAL_CLIENT_ID), BUILT_IN_ROLES.cryptoUser);

  // As an administrator uploads the certificate's public part to the app registration.
  const certificate = await createClientCertificate({ commonName: "keyward-portal" });
  stack.idp.applicationCredentials.addCertificate(
    LOCAL_PORTAL_CLIENT_ID,
    certificate.certificatePem,
  );
  certificateFile = path.join(stack.dataDir, "portal-credential.pem");
  fs.writeFileSync(certificateFile, certificate.pem, { mode: 0o600 });
  unknownCertificateFile = path.join(stack.dataDir, "unknown-credential.pem");
  fs.writeFileSync(unknownCertificateFile, (await createClientCertificate()).pem, { mode: 0o600 });

  // The host's managed identities, and the portal's trust in two of them.
  const identities = await stack.idp.startManagedIdentityEndpoint({
    userAssigned: [USER_ASSIGNED, UNTRUSTED_IDENTITY],
  });
  for (const subject of [identities.systemAssigned.objectId, USER_ASSIGNED.objectId])
    stack.idp.applicationCredentials.addFederatedCredential(LOCAL_PORTAL_CLIENT_ID, { subject });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

function portalTokens(credential: MsalSettings["credential"]): TokenSource {
  const issuer = stack.idp.issuer;
  return applicationTokenSource(
    createMsal({
      clientId: LOCAL_PORTAL_CLIENT_ID,
      authority: issuer,
      metadataUrl: `${issuer}/.well-known/openid-configuration`,
      knownAuthorities: [new URL(issuer).host],
      credential,
      caPem: stack.caPem,
    }),
  );
}

/** The token is the portal's, and the portal's HSM clients work with it. */
async function expectPortalIdentity(tokens: TokenSource, keyName: string) {
  const token = await tokens.getToken(`${MANAGED_HSM_RESOURCE}/.default`);
  expect(decodeJwt(token!.token)).toMatchObject({
    appid: LOCAL_PORTAL_CLIENT_ID,
    oid: stack.principalOf(LOCAL_PORTAL_CLIENT_ID),
    idtyp: "app",
    // Entra's "a certificate or client assertion authenticated the application".
    appidacr: "2",
  });
  const handle = createHsmHandle(
    { name: HSM, region: "West Europe", url: stack.hsmUrl(HSM), caPem: stack.caPem },
    tokens,
  );
  await handle.interactive.keys.createKey(keyName, "RSA-HSM");
  const names: string[] = [];
  for await (const key of handle.interactive.keys.listPropertiesOfKeys()) names.push(key.name);
  expect(names).toContain(keyName);
}

describe("a client certificate", () => {
  it("gets the portal's token, which works on the HSM", async () => {
    await expectPortalIdentity(
      portalTokens({ kind: "certificate", path: certificateFile }),
      "by-certificate",
    );
  });

  it("is refused at once when the file's key is not the certificate's", async () => {
    const [one, other] = [await createClientCertificate(), await createClientCertificate()];
    const file = path.join(stack.dataDir, "mismatched.pem");
    fs.writeFileSync(file, `${one.certificatePem}\n${other.privateKeyPem}\n`, { mode: 0o600 });
    expect(() => portalTokens({ kind: "certificate", path: file })).toThrow(
      "the private key is not the certificate's",
    );
  });

  it("fails with invalid_client when the registration does not have it", async () => {
    const tokens = portalTokens({ kind: "certificate", path: unknownCertificateFile });
    await expect(tokens.getToken(`${MANAGED_HSM_RESOURCE}/.default`)).rejects.toThrow(
      /invalid_client.*AADSTS700027/,
    );
  });
});

describe("a managed identity as a federated credential", () => {
  beforeAll(() => {
    // MSAL chooses App Service's source by these, once per process.
    const endpoint = stack.idp.managedIdentity!;
    vi.stubEnv("IDENTITY_ENDPOINT", endpoint.endpoint);
    vi.stubEnv("IDENTITY_HEADER", endpoint.header);
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it("gets the portal's token by the system-assigned identity", async () => {
    await expectPortalIdentity(
      portalTokens({ kind: "managedIdentity", clientId: "system" }),
      "by-system-identity",
    );
  });

  it("gets it by a user-assigned identity", async () => {
    await expectPortalIdentity(
      portalTokens({ kind: "managedIdentity", clientId: USER_ASSIGNED.clientId }),
      "by-user-identity",
    );
  });

  it("fails with invalid_client for an identity the registration does not trust", async () => {
    const tokens = portalTokens({ kind: "managedIdentity", clientId: UNTRUSTED_IDENTITY.clientId });
    await expect(tokens.getToken(`${MANAGED_HSM_RESOURCE}/.default`)).rejects.toThrow(
      /invalid_client.*AADSTS700213/,
    );
  });
});

/** A token for the token exchange from the managed-identity endpoint, as a projected file holds one. */
async function tokenOf(identityClientId?: string): Promise<string> {
  const endpoint = stack.idp.managedIdentity!;
  const url = new URL(endpoint.endpoint);
  url.searchParams.set("api-version", "2019-08-01");
  url.searchParams.set("resource", "api://AzureADTokenExchange");
  if (identityClientId) url.searchParams.set("client_id", identityClientId);
  const response = await fetch(url, { headers: { "x-identity-header": endpoint.header } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("a federated token file (Kubernetes workload identity)", () => {
  it("gets the portal's token with the token the file holds, read when a token is needed", async () => {
    const file = path.join(stack.dataDir, "azure-identity-token");
    const tokens = portalTokens({ kind: "federatedToken", file });
    // Written after the credential is set up: it is read at the token request, not before.
    fs.writeFileSync(file, `${await tokenOf(USER_ASSIGNED.clientId)}\n`, { mode: 0o600 });
    await expectPortalIdentity(tokens, "by-token-file");
  });

  it("fails with invalid_client for a token whose subject the registration does not trust", async () => {
    const file = path.join(stack.dataDir, "untrusted-token");
    fs.writeFileSync(file, await tokenOf(UNTRUSTED_IDENTITY.clientId), { mode: 0o600 });
    await expect(
      portalTokens({ kind: "federatedToken", file }).getToken(`${MANAGED_HSM_RESOURCE}/.default`),
    ).rejects.toThrow(/invalid_client.*AADSTS700213/);
  });
});
