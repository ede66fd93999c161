import { randomUUID } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { KeyClient } from "@azure/keyvault-keys";
import { ConfidentialClientApplication } from "@azure/msal-node";
import {
  applicationOfKind,
  clientSecretOf,
  completeSecrets,
  loadDirectory,
  servicePrincipalIdOf,
  startIdentityProvider,
  type Directory,
  type IdentityProviderSecrets,
  type RunningIdentityProvider,
} from "@keyward/identity-provider";
import {
  freePort,
  loadLocalTls,
  msalNetworkTrusting,
  rawRequest,
  type RawResponse,
} from "@keyward/local-https";

import type { HsmConfig } from "./config";
import { startEmulator, type RunningEmulator } from "./server";

/*
 * `@keyward/hsm-emulator/testing`: the emulator and the local identity provider started in this
 * process on free ports, over HTTPS with a throwaway local CA, and callers that hold real tokens
 * (MSAL, client credentials). The package's own tests run against it, and so can another
 * project's integration tests.
 */

export interface TestStack {
  dataDir: string;
  caPem: string;
  /** The localhost certificate and key, for starting another emulator on the same data. */
  tls: { cert: string; key: string };
  idp: RunningIdentityProvider;
  directory: Directory;
  secrets: IdentityProviderSecrets;
  emulator: RunningEmulator;
  /** The tool client: Managed HSM Administrator of every HSM from its creation. */
  toolClientId: string;
  /** An Azure SDK TokenCredential for an application of the directory, through real MSAL. */
  credential: (appId: string) => TokenCredential;
  hsmUrl: (name: string) => string;
  /** A KeyClient as another project would build one: trusting the CA, nothing else changed. */
  keyClient: (hsm: string, appId?: string) => KeyClient;
  /** Assigns a role (by GUID) to a principal at a scope, as the tool client. */
  grant: (hsm: string, principalId: string, roleGuid: string, scope?: string) => Promise<string>;
  /** The service principal (object) id of an application of the directory. */
  principalOf: (appId: string) => string;
  /** A raw HTTPS request to an HSM, with an application's token (or none). */
  request: (
    hsm: string,
    appId: string | null,
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<RawResponse>;
  close: () => Promise<void>;
}

export type TestHsm = Pick<HsmConfig, "name" | "region"> &
  Partial<Omit<HsmConfig, "name" | "region" | "port">>;

function msalCredential(issuer: string, caPem: string, appId: string, secret: string) {
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: appId,
      clientSecret: secret,
      authority: issuer,
      knownAuthorities: [new URL(issuer).host],
    },
    system: { networkClient: msalNetworkTrusting(caPem) },
  });
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const result = await app.acquireTokenByClientCredential({ scopes: [scopes].flat() });
      if (!result) throw new Error(`no token for ${appId}`);
      return { token: result.accessToken, expiresOnTimestamp: result.expiresOn!.getTime() };
    },
  } satisfies TokenCredential;
}

export async function startTestStack(
  hsms: TestHsm[],
  options: { testMode?: boolean; persistent?: boolean } = {},
): Promise<TestStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hsm-emulator-test-"));
  const { server: tls, caPem } = await loadLocalTls(dataDir);
  const directory = loadDirectory();
  const { secrets } = await completeSecrets(directory);
  const idp = await startIdentityProvider({
    secrets,
    tls,
    port: 0,
    loginPort: 0,
    portalUrl: "http://localhost:3999",
    logLevel: "silent",
    directory,
  });
  const tool = applicationOfKind(directory, "tool");
  const configs = await Promise.all(
    hsms.map(async (hsm) => ({
      administrators: [tool.servicePrincipalId],
      ...hsm,
      port: await freePort(),
    })),
  );
  const emulator = await startEmulator(
    {
      issuer: idp.issuer,
      tenantId: directory.tenant.id,
      dataDir: options.persistent ? path.join(dataDir, "emulator") : null,
      testMode: options.testMode ?? true,
      hsms: configs,
    },
    { tls, caPem, logLevel: "silent" },
  );

  const credentials = new Map<string, TokenCredential>();
  const credential = (appId: string) => {
    let found = credentials.get(appId);
    if (!found) {
      const secret = clientSecretOf(directory, secrets, appId);
      if (!secret) throw new Error(`no client secret for ${appId}`);
      found = msalCredential(idp.issuer, caPem, appId, secret);
      credentials.set(appId, found);
    }
    return found;
  };
  const hsmUrl = (name: string) => {
    const hsm = stack.emulator.hsms.find((h) => h.name === name);
    if (!hsm) throw new Error(`no HSM ${name}`);
    return hsm.url;
  };

  async function request(
    hsm: string,
    appId: string | null,
    method: string,
    pathAndQuery: string,
    body?: unknown,
  ) {
    const url = new URL(`${hsmUrl(hsm)}${pathAndQuery}`);
    if (!url.searchParams.has("api-version") && !pathAndQuery.includes("api%2Dversion"))
      url.searchParams.set("api-version", "7.6");
    const token = appId
      ? (await credential(appId).getToken("https://managedhsm.azure.net/.default"))!.token
      : undefined;
    return rawRequest(url.toString(), method, { caPem, token, body });
  }

  const stack: TestStack = {
    dataDir,
    caPem,
    tls,
    idp,
    directory,
    secrets,
    emulator,
    toolClientId: tool.appId,
    credential,
    hsmUrl,
    keyClient: (hsm, appId = tool.appId) =>
      new KeyClient(hsmUrl(hsm), credential(appId), {
        agent: new https.Agent({ keepAlive: true, ca: caPem }),
        // A localhost URL cannot be *.managedhsm.azure.net, which the challenge names.
        disableChallengeResourceVerification: true,
      }),
    request,
    grant: async (hsm, principalId, roleGuid, scope = "/") => {
      const name = randomUUID();
      const response = await request(
        hsm,
        tool.appId,
        "PUT",
        `/${scope === "/" ? "" : scope.replace(/^\/+/, "")}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        {
          properties: {
            roleDefinitionId: `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
            principalId,
          },
        },
      );
      if (response.status !== 201)
        throw new Error(`role assignment failed: ${response.status} ${response.text}`);
      return name;
    },
    principalOf: (appId) => servicePrincipalIdOf(directory, appId),
    close: async () => {
      // Tests may restart the emulator (persistence); close whichever instance is current.
      await stack.emulator.close();
      await idp.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}
