import fs from "node:fs";
import path from "node:path";
import { demoAccounts, loadDirectory } from "@keyward/identity-provider";
import { assertPortFree, ensureLocalTls, freePort, waitForPort } from "@keyward/local-https";

import { childEnvironment, loadEnv, nodeOptionsWith, type LocalEnv } from "@/lib/env";
import {
  LOCAL_PORTAL_CLIENT_ID,
  LOCAL_TENANT_ID,
  LOCAL_TOOL_CLIENT_ID,
} from "@/lib/identity-constants";
import { localSecretsPath } from "@/lib/local-secrets";

import { AZURITE_ACCOUNT, azuriteArgs, blobEndpoint } from "./azurite";
import { buildIsStale, nextBin, runBuild } from "./build";
import { LauncherError } from "./launcher-error";
import { localJsonPath, writeLocalJson, type LocalJson } from "./local-json";
import { emulatorAdministrators } from "./local-principals";
import { ensureLocalSecrets } from "./local-secrets";
import { Supervisor, type OutputMode } from "./processes";

export interface StackOptions {
  root: string;
  /**
   * `start` serves the production build (building it first if stale); `dev` runs `next dev`;
   * `none` starts everything but the portal, whose URL the identity provider still expects
   * (a test that runs the standalone server in azure mode there).
   */
  portal: "start" | "dev" | "none";
  /** `configured` uses the KEYWARD_*_PORT settings; `free` picks unused ports (tests). */
  ports: "configured" | "free";
  dataDir?: string;
  /** Opens the emulator's clock and fault endpoints (end-to-end tests); never for the demo. */
  emulatorTestMode?: boolean;
  output: OutputMode;
  onUnexpectedExit: (service: string, code: number | null) => void;
  /** Settings for every service on top of this process's environment (benchmarks). */
  environment?: Record<string, string>;
  /**
   * New HSMs are seeded with 600 days of history, replayed with a moving clock (a minute or
   * more on two cores). `false` seeds them in the present instead: for tests that need the
   * demo's keys and roles but not their versions' history.
   */
  seedHistory?: boolean;
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
 * A portal process's heap: without a limit V8 lets garbage pile up to hundreds of MB before it
 * collects (an evidence pack's stream peaked at ~500 MB resident with ~90 MB live); with an
 * old-generation limit and smaller semi-spaces it collects as it goes. (2 MB semi-spaces held
 * the stream lower still but cost the cheap routes a fifth of their throughput.)
 */
function portalHeapFlags(heapMb: number): string[] {
  return [`--max-old-space-size=${heapMb}`, "--max-semi-space-size=8"];
}

/**
 * `next dev`, or the standalone server production runs (`npm run build` wrote it to
 * .next/standalone), alone or as a cluster of workers on the one port. The server reads PORT
 * and HOSTNAME from its environment (standaloneEnvironment).
 */
function portalArgs(
  options: StackOptions,
  command: "start" | "dev",
  workers: number,
  port: number,
): string[] {
  if (command === "dev")
    return [nextBin(options.root), "dev", "-p", String(port), "-H", "127.0.0.1"];
  const server = path.join(options.root, ".next", "standalone", "server.js");
  if (workers === 1) return [server];
  return [
    "--import",
    "tsx",
    path.join(options.root, "scripts", "portal-cluster.ts"),
    ...["--workers", String(workers), "--exec", server],
  ];
}

/** The command of one of the local servers under packages/ (they run from their own bin). */
function packageBin(root: string, name: "identity-provider" | "hsm-emulator"): string {
  return path.join(root, "packages", name, "bin", `${name}.js`);
}

/**
 * Starts everything the local mode needs: certificates, Azurite, the identity provider, the HSM
 * emulator and the portal; writes
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
          emulator: await Promise.all(env.hsms.map(() => freePort())),
        }
      : {
          portal: env.port,
          azurite: env.azurite.port,
          idp: env.idp.port,
          idpLogin: env.idp.loginPort,
          emulator: env.hsms.map((hsm) => hsm.port),
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
    for (const hsm of env.hsms)
      await assertPortFree(hsm.port, "KEYWARD_EMULATOR_PORTS", `HSM emulator (${hsm.name})`);
  }

  const tls = await ensureLocalTls(dataDir);
  const directory = loadDirectory();
  const secrets = await ensureLocalSecrets(dataDir, directory);
  const publicUrl = options.ports === "free" ? `http://localhost:${ports.portal}` : env.publicUrl;
  const portalEnv = childEnvironment({
    ...options.environment,
    KEYWARD_MODE: "local",
    KEYWARD_DATA_DIR: dataDir,
    KEYWARD_PORT: String(ports.portal),
    KEYWARD_AZURITE_PORT: String(ports.azurite),
    KEYWARD_IDP_PORT: String(ports.idp),
    KEYWARD_IDP_LOGIN_PORT: String(ports.idpLogin),
    KEYWARD_EMULATOR_PORTS: ports.emulator.join(","),
    KEYWARD_PUBLIC_URL: publicUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    // The portal stops itself on SIGTERM/SIGINT once its audit checkpoint is written, instead of
    // Next exiting at once (lib/audit/checkpoint-scheduler.ts).
    NEXT_MANUAL_SIG_HANDLE: "1",
  });

  const portalConfig = loadEnv(portalEnv);
  if (portalConfig.mode !== "local")
    throw new LauncherError("the local stack needs KEYWARD_MODE=local");

  if (options.portal === "start" && buildIsStale(options.root))
    await runBuild(options.root, portalEnv);

  const supervisor = new Supervisor(options.output, options.onUnexpectedExit);
  try {
    const azurite = supervisor.start({
      name: "azurite",
      command: process.execPath,
      args: azuriteArgs(ports.azurite, path.join(dataDir, "azurite")),
      env: childEnvironment({}),
      cwd: options.root,
    });
    await waitForPort(ports.azurite, 30_000, () => supervisor.isRunning(azurite));

    const idp = supervisor.start({
      name: "idp",
      command: process.execPath,
      args: [
        packageBin(options.root, "identity-provider"),
        ...["--port", String(ports.idp), "--login-port", String(ports.idpLogin)],
        ...["--portal-url", publicUrl, "--data-dir", dataDir],
        ...["--secrets", localSecretsPath(dataDir)],
        ...["--tls-cert", tls.certFile, "--tls-key", tls.keyFile],
        ...["--log-level", portalConfig.logLevel],
      ],
      env: portalEnv,
      cwd: options.root,
    });
    await waitForPort(ports.idp, 30_000, () => supervisor.isRunning(idp));
    await waitForPort(ports.idpLogin, 30_000, () => supervisor.isRunning(idp));

    const seed = (flags: string[]) =>
      supervisor.runTask({
        name: "seed",
        command: process.execPath,
        args: [
          "--conditions=react-server",
          "--import",
          "tsx",
          path.join(options.root, "scripts", "seed.ts"),
          ...["--data-dir", dataDir, ...flags],
        ],
        env: portalEnv,
        cwd: options.root,
      });
    // New HSMs are seeded with a history unless seedHistory is false: the seed runs them itself
    // with their clock in the past.
    const seededInThePast =
      (options.seedHistory ?? true) &&
      !fs.existsSync(path.join(dataDir, "emulator", "emulator.db"));
    if (seededInThePast) await seed(["--backdate"]);

    const { hsms } = portalConfig;
    const emulator = supervisor.start({
      name: "emulator",
      command: process.execPath,
      args: [
        packageBin(options.root, "hsm-emulator"),
        ...["--data-dir", path.join(dataDir, "emulator")],
        ...["--issuer", portalConfig.idp.issuer, "--tenant-id", LOCAL_TENANT_ID],
        ...["--ca-file", tls.caFile, "--tls-cert", tls.certFile, "--tls-key", tls.keyFile],
        ...["--log-level", portalConfig.logLevel],
        ...hsms.flatMap((hsm) => ["--hsm", `${hsm.name}:${hsm.port}:${hsm.region}`]),
        ...emulatorAdministrators(directory).flatMap((id) => ["--administrator", id]),
        ...(options.emulatorTestMode ? ["--test-mode"] : []),
      ],
      env: portalEnv,
      cwd: options.root,
    });
    for (const hsm of hsms)
      await waitForPort(hsm.port, 30_000, () => supervisor.isRunning(emulator));
    if (!seededInThePast) await seed([]);

    if (options.portal !== "none") {
      const portal = supervisor.start({
        name: "portal",
        command: process.execPath,
        args: portalArgs(options, options.portal, portalConfig.portalWorkers, ports.portal),
        // Through the environment, so that a cluster's workers have the limit too. `next dev`
        // compiles in the same process and keeps Node's own limit.
        env:
          options.portal === "start"
            ? {
                ...portalEnv,
                PORT: String(ports.portal),
                HOSTNAME: "127.0.0.1",
                NODE_OPTIONS: nodeOptionsWith(portalHeapFlags(portalConfig.portalHeapMb)),
              }
            : portalEnv,
        cwd: options.root,
      });
      const healthUrl = `http://127.0.0.1:${ports.portal}/api/health`;
      await waitForHealth(healthUrl, PORTAL_START_TIMEOUT_MS[options.portal], () =>
        supervisor.isRunning(portal),
      );
    }

    const blob = blobEndpoint(ports.azurite);
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
      hsms: hsms.map(({ name, region, url }) => ({ name, region, url })),
      emulator: {
        testMode: options.emulatorTestMode ?? false,
        administrators: emulatorAdministrators(directory),
      },
      azurite: {
        blobEndpoint: blob,
        accountName: AZURITE_ACCOUNT.name,
        accountKey: AZURITE_ACCOUNT.key,
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT.name};AccountKey=${AZURITE_ACCOUNT.key};BlobEndpoint=${blob};`,
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
