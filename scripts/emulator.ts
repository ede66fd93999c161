// npm run emulator – the Managed HSM emulator as its own process
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { emulatorSchema, type EmulatorConfig } from "@/lib/emulator/config";
import { startEmulator } from "@/lib/emulator/server";
import { ConfigError, loadEnv } from "@/lib/env";
import { LOCAL_TENANT_ID, LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { loadDirectory, servicePrincipalIdOf } from "@/lib/idp/directory";
import { startIdp } from "@/lib/idp/server";

import { emulatorConnection, writeEmulatorConnection } from "./lib/emulator-connection";
import { ensureLocalSecrets } from "./lib/local-secrets";
import { loadLocalTls } from "./lib/tls";

/*
 * Configuration comes from --config <file> (JSON, see lib/emulator/config.ts) or from flags:
 *   --hsm name:port:region (repeatable)   --administrator <object id> (repeatable)
 *   --data-dir <dir>   --in-memory   --issuer <url>   --tenant-id <guid>   --test-mode
 * Without --hsm: the local HSMs on KEYWARD_EMULATOR_PORTS. Without --administrator: the local
 * tool client. Without --issuer, the local identity provider starts in this process too (on
 * KEYWARD_IDP_PORT), so the emulator is usable alone: <data-dir>/emulator.json (mode 0600) then
 * says how to get a token. TLS: the local CA under the data directory (created when missing).
 */

const USAGE = `Usage: npm run emulator -- [--hsm name:port:region]... [--administrator oid]... [--data-dir dir]
       [--in-memory] [--issuer https://…] [--tenant-id guid] [--test-mode] | --config file.json`;

function parseFlags() {
  try {
    return parseArgs({
      options: {
        config: { type: "string" },
        hsm: { type: "string", multiple: true },
        administrator: { type: "string", multiple: true },
        "data-dir": { type: "string" },
        issuer: { type: "string" },
        "tenant-id": { type: "string" },
        "test-mode": { type: "boolean", default: false },
        "in-memory": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const values = parseFlags();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = loadEnv();
  if (env.mode !== "local")
    throw new Error("the emulator runs in local mode (KEYWARD_MODE=local) only");
  const dataDir = path.resolve(values["data-dir"] ?? env.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const directory = loadDirectory();
  const toolClientObjectId = servicePrincipalIdOf(directory, LOCAL_TOOL_CLIENT_ID);
  const administrators = values.administrator ?? [toolClientObjectId];
  const config: EmulatorConfig = values.config
    ? emulatorSchema.parse(JSON.parse(fs.readFileSync(values.config, "utf8")))
    : emulatorSchema.parse({
        issuer: values.issuer ?? env.idp.issuer,
        tenantId: values["tenant-id"] ?? LOCAL_TENANT_ID,
        dataDir: values["in-memory"] ? null : path.join(dataDir, "emulator"),
        testMode: values["test-mode"],
        hsms: values.hsm
          ? values.hsm.map((spec) => {
              const [name = "", port = "", region = ""] = spec.split(":");
              return { name, port: Number(port), region, administrators };
            })
          : env.hsms.map(({ name, port, region }) => ({ name, port, region, administrators })),
      });

  const { files: tlsFiles, server: tls, caPem } = await loadLocalTls(dataDir);
  const secrets = await ensureLocalSecrets(dataDir, directory);
  const idp = values.issuer
    ? undefined
    : await startIdp({
        secrets,
        tls,
        directory,
        port: env.idp.port,
        loginPort: env.idp.loginPort,
        portalUrl: env.publicUrl,
        logLevel: env.logLevel,
      });
  const emulator = await startEmulator(config, { tls, caPem, logLevel: env.logLevel });

  const lines = [
    `HSM emulator${config.testMode ? " (test mode: clock and fault endpoints open)" : ""}`,
    ...emulator.hsms.map((hsm) => `  ${hsm.name.padEnd(16)} ${hsm.url}  (${hsm.region})`),
    `  trusted issuer   ${config.issuer}`,
    `  CA certificate   ${tlsFiles.caFile}`,
  ];
  if (idp) {
    const file = writeEmulatorConnection(
      dataDir,
      emulatorConnection({
        hsms: emulator.hsms.map(({ name, region, url }) => ({ name, region, url })),
        caFile: tlsFiles.caFile,
        issuer: idp.issuer,
        tenantId: config.tenantId,
        toolClientObjectId,
        toolClientSecret: secrets.toolClientSecret,
      }),
    );
    lines.push(`  tokens           ${file} (tool client credentials, mode 0600)`);
  }
  console.log(lines.join("\n"));

  const stop = async () => {
    await emulator.close();
    await idp?.close();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop());
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`The emulator could not start: ${(error as Error).message}`);
  process.exit(1);
});
