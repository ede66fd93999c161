import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { TokenSource } from "@/lib/auth/credentials";
import type { HsmConfig } from "@/lib/emulator/config";
import { startEmulator, type RunningEmulator } from "@/lib/emulator/server";
import { LOCAL_TENANT_ID, LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { loadDirectory, servicePrincipalIdOf, type Directory } from "@/lib/idp/directory";
import { startIdp, type RunningIdp } from "@/lib/idp/server";
import type { LocalSecrets } from "@/lib/local-secrets";
import { freePort } from "@/lib/net/ports";

import { localAppCredential } from "./local-credential";
import { ensureLocalSecrets } from "./local-secrets";
import { rawRequest, type RawResponse } from "./raw-request";
import { loadLocalTls } from "./tls";

/*
 * The local identity provider and the HSM emulator started in this process, on free ports, for
 * integration tests: the same servers the demo runs, over real HTTPS with the local CA.
 */

export interface TestStack {
  dataDir: string;
  caPem: string;
  /** The localhost certificate and key, for starting another emulator on the same data. */
  tls: { cert: string; key: string };
  idp: RunningIdp;
  directory: Directory;
  secrets: LocalSecrets;
  emulator: RunningEmulator;
  /** An Azure-SDK TokenCredential for an application of the demo directory (client credentials). */
  credential: (appId: string) => TokenSource;
  hsmUrl: (name: string) => string;
  /** Assigns a built-in or custom role (by GUID) to a principal at a scope, as the tool client (an administrator). */
  grant: (hsm: string, principalId: string, roleGuid: string, scope?: string) => Promise<string>;
  /** The service principal (object) id of an application of the demo directory. */
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

export async function startTestStack(
  hsms: TestHsm[],
  options: { testMode?: boolean; persistent?: boolean } = {},
): Promise<TestStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-emulator-test-"));
  const { server: tls, caPem } = await loadLocalTls(dataDir);
  const directory = loadDirectory();
  const secrets = await ensureLocalSecrets(dataDir, directory);
  const idp = await startIdp({
    secrets,
    tls,
    port: await freePort(),
    loginPort: await freePort(),
    portalUrl: "http://localhost:3999",
    logLevel: "silent",
    directory,
  });
  const configs = await Promise.all(
    hsms.map(async (hsm) => ({
      administrators: [servicePrincipalIdOf(directory, LOCAL_TOOL_CLIENT_ID)],
      ...hsm,
      port: await freePort(),
    })),
  );
  const emulator = await startEmulator(
    {
      issuer: idp.issuer,
      tenantId: LOCAL_TENANT_ID,
      dataDir: options.persistent ? path.join(dataDir, "emulator") : null,
      testMode: options.testMode ?? true,
      hsms: configs,
    },
    { tls, caPem, logLevel: "silent" },
  );

  const sources = new Map<string, TokenSource>();
  const credential = (appId: string) => {
    let source = sources.get(appId);
    if (!source) {
      const secret =
        appId === LOCAL_TOOL_CLIENT_ID ? secrets.toolClientSecret : secrets.workloadSecrets[appId];
      if (!secret) throw new Error(`no client secret for ${appId}`);
      source = localAppCredential({ issuer: idp.issuer, caPem, appId, secret });
      sources.set(appId, source);
    }
    return source;
  };

  async function stackRequest(
    hsm: string,
    appId: string | null,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const base = stack.emulator.hsms.find((h) => h.name === hsm)!.url;
    const url = new URL(`${base}${path}`);
    if (!url.searchParams.has("api-version") && !path.includes("api%2Dversion"))
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
    credential,
    hsmUrl: (name) => stack.emulator.hsms.find((h) => h.name === name)!.url,
    request: stackRequest,
    grant: async (hsm, principalId, roleGuid, scope = "/") => {
      const name = randomUUID();
      const response = await stackRequest(
        hsm,
        LOCAL_TOOL_CLIENT_ID,
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
