// hsm-emulator – the Managed HSM emulator as a command (see the package README)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  applicationOfKind,
  ensureSecretsFile,
  loadDirectory,
  startIdentityProvider,
} from "@keyward/identity-provider";
import { loadLocalTls } from "@keyward/local-https";
import { z } from "zod";

import { emulatorSchema, type EmulatorConfigInput } from "./config";
import { emulatorConnection, writeEmulatorConnection } from "./connection";
import type { LogLevel } from "./log";
import { startEmulator } from "./server";

const USAGE = `Usage: hsm-emulator [--port 8443 | --hsm name:port[:region]...] [--data-dir dir | --in-memory]
                    [--administrator object-id]... [--test-mode [--clock-start 2026-01-01T00:00:00Z]]
                    [--log-level info]
                    [--issuer https://… --tenant-id guid [--ca-file ca.pem]]
                    [--tls-cert cert.pem --tls-key key.pem] [--idp-port n --idp-login-port n]
       hsm-emulator --config emulator.json [--tls-cert … --tls-key …] [--ca-file …]`;

class UsageError extends Error {}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function parseFlags() {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        hsm: { type: "string", multiple: true },
        administrator: { type: "string", multiple: true },
        "data-dir": { type: "string" },
        "in-memory": { type: "boolean", default: false },
        issuer: { type: "string" },
        "tenant-id": { type: "string" },
        "ca-file": { type: "string" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        "idp-port": { type: "string" },
        "idp-login-port": { type: "string" },
        "test-mode": { type: "boolean", default: false },
        "clock-start": { type: "string" },
        "log-level": { type: "string", default: "info" },
        config: { type: "string" },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

type Flags = ReturnType<typeof parseFlags>;

function portNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new UsageError(`${flag} must be a port number, not "${text}"`);
  return value;
}

/** `name:port[:region]`, the region defaulting to "Local". */
function parseHsm(spec: string) {
  const [name = "", port, ...region] = spec.split(":");
  return {
    name,
    port: portNumber(port, `--hsm ${spec}`) ?? Number.NaN,
    region: region.join(":") || "Local",
  };
}

function readText(file: string, flag: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${flag} ${file} cannot be read`);
  }
}

/** The bundled identity provider, its secrets kept in the data directory, when no --issuer is given. */
async function startBundledIdentityProvider(
  flags: Flags,
  dataDir: string,
  tls: { cert: string; key: string },
  logLevel: LogLevel,
) {
  const directory = loadDirectory();
  const secrets = await ensureSecretsFile(path.join(dataDir, "identity-provider.json"), directory);
  const idp = await startIdentityProvider({
    secrets,
    tls,
    directory,
    port: portNumber(flags["idp-port"], "--idp-port") ?? 0,
    loginPort: portNumber(flags["idp-login-port"], "--idp-login-port") ?? 0,
    portalUrl: "http://localhost",
    logLevel,
  });
  const tool = applicationOfKind(directory, "tool");
  return {
    idp,
    tool: {
      clientId: tool.appId,
      objectId: tool.servicePrincipalId,
      clientSecret: secrets.toolClientSecret,
    },
  };
}

function configFromFlags(
  flags: Flags,
  dataDir: string,
  issuer: { issuer: string; tenantId: string },
  administrators: string[],
): EmulatorConfigInput {
  if (flags.config) return JSON.parse(readText(flags.config, "--config")) as EmulatorConfigInput;
  return {
    ...issuer,
    dataDir: flags["in-memory"] ? null : dataDir,
    testMode: flags["test-mode"],
    ...(flags["clock-start"] ? { clockStart: flags["clock-start"] } : {}),
    hsms: (flags.hsm ?? [`local-hsm:${flags.port ?? "8443"}`])
      .map(parseHsm)
      .map((hsm) => ({ ...hsm, administrators })),
  };
}

async function main(): Promise<void> {
  const flags = parseFlags();
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const logLevel = z.enum(LOG_LEVELS).parse(flags["log-level"]);
  const dataDir = path.resolve(
    flags["data-dir"] ??
      (flags["in-memory"]
        ? fs.mkdtempSync(path.join(os.tmpdir(), "hsm-emulator-"))
        : ".hsm-emulator"),
  );
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const bundled = !flags.issuer && !flags.config;
  const ownTls =
    bundled || !flags["tls-cert"] || !flags["tls-key"] || !flags["ca-file"]
      ? await loadLocalTls(dataDir)
      : undefined;
  const tls =
    flags["tls-cert"] && flags["tls-key"]
      ? {
          cert: readText(flags["tls-cert"], "--tls-cert"),
          key: readText(flags["tls-key"], "--tls-key"),
        }
      : ownTls!.server;
  const issuerCa = flags["ca-file"] ? readText(flags["ca-file"], "--ca-file") : ownTls!.caPem;

  const local = bundled
    ? await startBundledIdentityProvider(flags, dataDir, ownTls!.server, logLevel)
    : undefined;
  const administrators = flags.administrator ?? (local ? [local.tool.objectId] : []);
  if (administrators.length === 0 && !flags.config)
    throw new UsageError(
      "give at least one --administrator: with --issuer, nobody else could manage the HSMs",
    );
  const config = emulatorSchema.safeParse(
    configFromFlags(
      flags,
      dataDir,
      local
        ? { issuer: local.idp.issuer, tenantId: local.idp.directory.tenant.id }
        : { issuer: flags.issuer ?? "", tenantId: flags["tenant-id"] ?? "" },
      administrators,
    ),
  );
  if (!config.success) throw new UsageError(z.prettifyError(config.error));
  const emulator = await startEmulator(config.data, { tls, caPem: issuerCa, logLevel });

  const lines = [
    `HSM emulator${config.data.testMode ? " (test mode: clock and fault endpoints open)" : ""}`,
    ...emulator.hsms.map((hsm) => `  ${hsm.name.padEnd(16)} ${hsm.url}  (${hsm.region})`),
    `  trusted issuer   ${config.data.issuer}`,
  ];
  if (local && ownTls) {
    const file = writeEmulatorConnection(
      dataDir,
      emulatorConnection({
        hsms: emulator.hsms.map(({ name, region, url }) => ({ name, region, url })),
        caFile: ownTls.files.caFile,
        issuer: local.idp.issuer,
        tenantId: config.data.tenantId,
        toolClient: local.tool,
      }),
    );
    lines.push(`  CA certificate   ${ownTls.files.caFile}`);
    lines.push(`  tokens           ${file} (tool client credentials, mode 0600)`);
  }
  console.log(lines.join("\n"));

  const stop = async () => {
    await emulator.close();
    await local?.idp.close();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop());
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`The emulator could not start: ${(error as Error).message}`);
  process.exit(1);
});
