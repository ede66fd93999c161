import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import pg from "pg";

import { readTestSettings } from "@/lib/env";
import { LOCAL_PORTAL_CLIENT_ID } from "@/lib/identity-constants";
import { readLocalSecrets } from "@/lib/local-secrets";
import { account } from "@/e2e/fixtures/accounts";
import { callHsmAsTool, grantRole } from "@/e2e/fixtures/emulator";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";
import type { LocalJson } from "@/scripts/lib/local-json";
import { startStack, type RunningStack } from "@/scripts/lib/stack";

/*
 * The production artefact in azure mode, configured only through environment variables as a
 * real deployment is: `node .next/standalone/server.js` with AZURE_* and KEYWARD_* settings and
 * nothing else of this process's environment. The local identity provider and the HSM emulator
 * stand in for Entra ID and Managed HSM at those URLs: the provider trusted through
 * NODE_EXTRA_CA_CERTS alone, the emulator through the `caFile` of its KEYWARD_HSMS entry. It runs its own stack (not the suite's), so its change to an HSM touches no other spec.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const STANDALONE = path.join(ROOT, ".next", "standalone");
const HSM = "keyward-weu";
const CRYPTO_USER = "21dbd100-6940-42c2-9190-5d6cb909625b";
const PORTAL_IDENTITY = "2015083e-7640-441a-9e8f-790f7ceb1614";
const KEY = "payments-signing-prod-01";

const { databaseUrl } = readTestSettings();
test.skip(!databaseUrl, "azure mode runs on PostgreSQL: set TEST_DATABASE_URL");
test.describe.configure({ mode: "serial" });

let stack: RunningStack;
let portal: ChildProcess;
let workDir: string;
let portalLog: number | undefined;
/** A database of its own on the test server, dropped afterwards. */
const database = `keyward_azure_mode_${process.pid}_${Date.now()}`;

async function onTestServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrlOf(name: string): string {
  const url = new URL(databaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Every setting the portal gets: the deployment's, not the test runner's. */
function azureEnvironment(local: LocalJson): NodeJS.ProcessEnv {
  const secrets = readLocalSecrets(local.dataDir);
  const signingKey = path.join(workDir, "audit-signing.pem");
  const { privateKey } = generateKeyPairSync("ed25519");
  fs.writeFileSync(signingKey, privateKey.export({ type: "pkcs8", format: "pem" }), {
    mode: 0o600,
  });
  const portalUrl = new URL(local.portal.url);
  return {
    NODE_ENV: "production",
    NODE_EXTRA_CA_CERTS: local.tls.caFile,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_MANUAL_SIG_HANDLE: "1",
    HOSTNAME: "127.0.0.1",
    PORT: portalUrl.port,
    KEYWARD_MODE: "azure",
    KEYWARD_PUBLIC_URL: local.portal.url,
    KEYWARD_DATA_DIR: path.join(workDir, "data"),
    DATABASE_URL: databaseUrlOf(database),
    AZURE_TENANT_ID: local.idp.tenantId,
    AZURE_CLIENT_ID: LOCAL_PORTAL_CLIENT_ID,
    AZURE_CLIENT_SECRET: secrets.portalClientSecret,
    AZURE_AUTHORITY_HOST: new URL(local.idp.issuer).origin,
    // The emulator is not under managedhsm.azure.net: it is named with its CA, as a staging
    // deployment against the emulator would name it.
    KEYWARD_HSMS: JSON.stringify(local.hsms.map((hsm) => ({ ...hsm, caFile: local.tls.caFile }))),
    KEYWARD_SESSION_KEYS: secrets.sessionKeys.join(","),
    KEYWARD_AUDIT_SIGNING_KEY_FILE: signingKey,
    // Azurite accepts bearer tokens only from Microsoft's issuers, so the checkpoint job is off
    // here and the container is never reached; the local mode's suite covers checkpoints.
    KEYWARD_AUDIT_CONTAINER_URL: "https://localhost:1/keyward-audit",
    KEYWARD_AUDIT_CHECKPOINT_MINUTES: "0",
    LOG_LEVEL: "info",
  };
}

async function waitForHealthy(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`the standalone server exited (${server.exitCode})`);
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within 60 s`);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  expect(
    fs.existsSync(path.join(STANDALONE, "server.js")),
    "npm run build made the standalone server",
  ).toBe(true);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-azure-mode-"));
  await onTestServer(`create database "${database}"`);
  stack = await startStack({
    root: ROOT,
    portal: "none",
    ports: "free",
    dataDir: path.join(workDir, "stack"),
    // The test needs the demo's keys and roles, not their history (replaying it took 70 s of
    // this start under the other lanes' load, and once ran past the 180 s below).
    seedHistory: false,
    output: { kind: "files", dir: path.join(workDir, "logs") },
    onUnexpectedExit: (service, code) =>
      process.stderr.write(
        `\n[azure-mode] ${service} exited (code ${code}); see ${workDir}/logs\n`,
      ),
  });
  // The portal's identity may change keys, granted as the HSM's administrator grants it in Azure
  // (the seed gives it Administrator and Crypto Auditor only).
  await grantRole(stack.localJson, HSM, {
    name: "8d1f4c2a-6b3e-4f5a-9c7d-2e1b0a9f8e7d",
    scope: "/keys",
    roleDefinitionId: CRYPTO_USER,
    principalId: PORTAL_IDENTITY,
  });
  portalLog = fs.openSync(path.join(workDir, "logs", "standalone-portal.log"), "a");
  portal = spawn(process.execPath, ["server.js"], {
    cwd: STANDALONE,
    env: azureEnvironment(stack.localJson),
    stdio: ["ignore", portalLog, portalLog],
  });
  await waitForHealthy(`${stack.localJson.portal.url}/api/health`, portal);
});

/** SIGTERM (the portal's own shutdown), then SIGKILL if it has not exited within 10 s. */
async function stopPortal(): Promise<void> {
  if (!portal || portal.exitCode !== null || portal.signalCode !== null) return;
  const exited = new Promise((resolve) => portal.once("exit", resolve));
  portal.kill("SIGTERM");
  const killer = setTimeout(() => portal.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(killer);
}

test.afterAll(async () => {
  test.setTimeout(60_000);
  try {
    await stopPortal();
    await stack?.stop();
  } finally {
    if (portalLog !== undefined) fs.closeSync(portalLog);
    await onTestServer(`drop database if exists "${database}" with (force)`);
    if (workDir && fs.existsSync(path.join(workDir, "logs"))) {
      const kept = path.join(ROOT, "test-results", "azure-mode-logs");
      fs.mkdirSync(kept, { recursive: true });
      fs.cpSync(path.join(workDir, "logs"), kept, { recursive: true });
    }
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  }
});

test("the standalone server in azure mode signs in, reads the inventory and executes an approved request", async () => {
  test.setTimeout(180_000);
  const local = stack.localJson;
  const origin = new URL(local.portal.url).origin;
  const keyadmin = await playwrightRequest.newContext({ baseURL: local.portal.url });
  const approver = await playwrightRequest.newContext({ baseURL: local.portal.url });
  try {
    await signInThroughApi(keyadmin, account(local, "keyadmin"));
    const me = (await (await keyadmin.get("/api/me")).json()) as { roles: { value: string }[] };
    expect(me.roles.map((role) => role.value)).toEqual(["Keyward.KeyAdmin"]);

    // The start-up sync reads the HSM through the portal's own identity.
    await expect
      .poll(
        async () => {
          const response = await keyadmin.get(`/api/keys?hsm=${HSM}&q=${KEY}`);
          return response.ok() ? ((await response.json()) as { total: number }).total : -1;
        },
        { timeout: 60_000, message: "the inventory lists the seeded key" },
      )
      .toBe(1);

    const marker = `azure-mode-${Date.now()}`;
    const filed = await keyadmin.post("/api/requests", {
      headers: { origin },
      data: {
        kind: "key.update",
        hsm: HSM,
        justification: "Azure mode end-to-end: tag the key through an approved request",
        items: [{ key: KEY, tags: { env: "prod", deployment: marker } }],
      },
    });
    expect(filed.status(), await filed.text()).toBe(201);
    const { id } = (await filed.json()) as { id: string };

    await signInThroughApi(approver, account(local, "approver"), { reauthenticate: true });
    const approved = await approver.post(`/api/requests/${id}/approve`, {
      headers: { origin },
      data: { comment: "Checked in the azure-mode test" },
    });
    expect(approved.status(), await approved.text()).toBe(200);

    await expect
      .poll(
        async () =>
          ((await (await keyadmin.get(`/api/requests/${id}`)).json()) as { state: string }).state,
        { timeout: 60_000, message: "the executor runs the approved request" },
      )
      .toBe("executed");

    // The HSM's own answer, not the portal's mirror.
    const key = (await callHsmAsTool(local, HSM, "GET", `/keys/${KEY}`)) as {
      tags?: Record<string, string>;
    };
    expect(key.tags).toMatchObject({ deployment: marker });
  } finally {
    await keyadmin.dispose();
    await approver.dispose();
  }
});
