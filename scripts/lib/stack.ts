import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { childEnvironment, loadEnv, type LocalEnv } from "@/lib/env";
import {
  LOCAL_PORTAL_CLIENT_ID,
  LOCAL_TENANT_ID,
  LOCAL_TOOL_CLIENT_ID,
} from "@/lib/identity-constants";
import { demoAccounts, loadDirectory } from "@/lib/idp/directory";

import { buildIsStale, nextBin, runBuild } from "./build";
import { LauncherError } from "./launcher-error";
import { localJsonPath, writeLocalJson, type LocalJson } from "./local-json";
import { ensureLocalSecrets } from "./local-secrets";
import { assertPortFree, freePort, waitForPort } from "./ports";
import { Supervisor, type OutputMode } from "./processes";
import { ensureLocalTls } from "./tls";

/** Azurite's fixed development account (documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = {
  name: "devstoreaccount1",
  key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
};

export interface StackOptions {
  root: string;
  /** `start` serves the production build (building it first if stale); `dev` runs `next dev`. */
  portal: "start" | "dev";
  /** `configured` uses the KEYWARD_*_PORT settings; `free` picks unused ports (tests). */
  ports: "configured" | "free";
  dataDir?: string;
  output: OutputMode;
  onUnexpectedExit: (service: string, code: number | null) => void;
}

export interface RunningStack {
  localJson: LocalJson;
  localJsonFile: string;
  stop: () => Promise<void>;
  killNow: () => void;
}

const PORTAL_START_TIMEOUT_MS = { start: 60_000, dev: 180_000 };

function localEnvOrThrow(): LocalEnv {
  const env = loadEnv();
  if (env.mode !== "local")
    throw new LauncherError(
      "KEYWARD_MODE=azure: the launcher runs the local stack only. Run the portal against Azure with `npm run build && npm start`.",
    );
  return env;
}

async function waitForHealth(
  url: string,
  timeoutMs: number,
  isAlive: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive())
      throw new LauncherError("the portal exited during start-up (see its output above)");
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new LauncherError(
    `the portal did not report healthy at ${url} within ${timeoutMs / 1000} s`,
  );
}

/**
 * Starts everything the local mode needs: certificates, Azurite and the portal; writes
 * local.json once all of them answer. Any failure stops what was already started.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const env = localEnvOrThrow();
  const dataDir = options.dataDir ?? env.dataDir;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const ports =
    options.ports === "free"
      ? {
          portal: await freePort(),
          azurite: await freePort(),
          idp: await freePort(),
          idpLogin: await freePort(),
        }
      : {
          portal: env.port,
          azurite: env.azurite.port,
          idp: env.idp.port,
          idpLogin: env.idp.loginPort,
        };
  if (options.ports === "configured") {
    await assertPortFree(ports.portal, "KEYWARD_PORT", "portal");
    await assertPortFree(ports.azurite, "KEYWARD_AZURITE_PORT", "Azurite");
    await assertPortFree(ports.idp, "KEYWARD_IDP_PORT", "identity provider");
    await assertPortFree(
      ports.idpLogin,
      "KEYWARD_IDP_LOGIN_PORT",
      "identity provider sign-in pages",
    );
  }

  const tls = await ensureLocalTls(dataDir);
  const directory = loadDirectory();
  const secrets = await ensureLocalSecrets(dataDir, directory);
  const publicUrl = options.ports === "free" ? `http://localhost:${ports.portal}` : env.publicUrl;
  const portalEnv = childEnvironment({
    KEYWARD_MODE: "local",
    KEYWARD_DATA_DIR: dataDir,
    KEYWARD_PORT: String(ports.portal),
    KEYWARD_AZURITE_PORT: String(ports.azurite),
    KEYWARD_IDP_PORT: String(ports.idp),
    KEYWARD_IDP_LOGIN_PORT: String(ports.idpLogin),
    KEYWARD_PUBLIC_URL: publicUrl,
    NEXT_TELEMETRY_DISABLED: "1",
  });

  if (options.portal === "start" && buildIsStale(options.root))
    await runBuild(options.root, portalEnv);

  const supervisor = new Supervisor(options.output, options.onUnexpectedExit);
  try {
    const azuriteMain = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
    const azurite = supervisor.start({
      name: "azurite",
      command: process.execPath,
      args: [
        azuriteMain,
        ...["--blobHost", "127.0.0.1", "--blobPort", String(ports.azurite)],
        ...["--location", path.join(dataDir, "azurite")],
        "--skipApiVersionCheck",
        "--disableTelemetry",
        "--silent",
      ],
      env: childEnvironment({}),
      cwd: options.root,
    });
    await waitForPort(ports.azurite, 30_000, () => supervisor.isRunning(azurite));

    const idp = supervisor.start({
      name: "idp",
      command: process.execPath,
      args: [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.join(options.root, "scripts", "idp.ts"),
        ...["--port", String(ports.idp), "--login-port", String(ports.idpLogin)],
        ...["--portal-url", publicUrl, "--data-dir", dataDir],
      ],
      env: portalEnv,
      cwd: options.root,
    });
    await waitForPort(ports.idp, 30_000, () => supervisor.isRunning(idp));
    await waitForPort(ports.idpLogin, 30_000, () => supervisor.isRunning(idp));

    const portal = supervisor.start({
      name: "portal",
      command: process.execPath,
      args: [nextBin(options.root), options.portal, "-p", String(ports.portal), "-H", "127.0.0.1"],
      env: portalEnv,
      cwd: options.root,
    });
    const healthUrl = `http://127.0.0.1:${ports.portal}/api/health`;
    await waitForHealth(healthUrl, PORTAL_START_TIMEOUT_MS[options.portal], () =>
      supervisor.isRunning(portal),
    );

    const blobEndpoint = `http://127.0.0.1:${ports.azurite}/${AZURITE_ACCOUNT.name}`;
    const portalConfig = loadEnv(portalEnv);
    if (portalConfig.mode !== "local")
      throw new LauncherError("the local stack needs KEYWARD_MODE=local");
    const { database } = portalConfig;
    const localJson: LocalJson = {
      version: 1,
      writtenAt: new Date().toISOString(),
      mode: "local",
      dataDir,
      portal: { url: publicUrl, healthUrl: `${publicUrl}/api/health` },
      tls,
      idp: {
        issuer: portalConfig.idp.issuer,
        metadataUrl: `${portalConfig.idp.issuer}/.well-known/openid-configuration`,
        signInOrigin: portalConfig.idp.browserOrigin,
        tenantId: LOCAL_TENANT_ID,
        directoryApi: `https://localhost:${ports.idp}/graph/v1.0`,
        toolClient: { clientId: LOCAL_TOOL_CLIENT_ID, clientSecret: secrets.toolClientSecret },
      },
      accounts: demoAccounts(directory, LOCAL_PORTAL_CLIENT_ID, secrets.idp.passwords),
      azurite: {
        blobEndpoint,
        accountName: AZURITE_ACCOUNT.name,
        accountKey: AZURITE_ACCOUNT.key,
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT.name};AccountKey=${AZURITE_ACCOUNT.key};BlobEndpoint=${blobEndpoint};`,
      },
      database:
        database.kind === "sqlite"
          ? { kind: "sqlite", location: database.file }
          : { kind: "postgres", location: new URL(database.url).host },
    };
    return {
      localJson,
      localJsonFile: writeLocalJson(dataDir, localJson),
      stop: async () => {
        await supervisor.stopAll();
        fs.rmSync(localJsonPath(dataDir), { force: true });
      },
      killNow: () => supervisor.killAllNow(),
    };
  } catch (error) {
    await supervisor.stopAll();
    throw error;
  }
}
