// identity-provider – the local Entra ID stand-in as a command (see the package README)
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadLocalTls } from "@keyward/local-https";
import { z } from "zod";

import { applicationOfKind, demoAccounts, loadDirectory } from "./directory";
import { ensureSecretsFile, identityProviderSecretsSchema } from "./secrets";
import { startIdentityProvider } from "./server";

const USAGE = `Usage: identity-provider [--port 8444] [--login-port 8445] [--portal-url http://localhost:3000]
                         [--data-dir dir] [--secrets secrets.json] [--tls-cert cert.pem --tls-key key.pem]
                         [--log-level info]`;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const flagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8444),
  "login-port": z.coerce.number().int().min(0).max(65_535).default(8445),
  "portal-url": z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
  "data-dir": z.string().default(".identity-provider"),
  secrets: z.string().optional(),
  "tls-cert": z.string().optional(),
  "tls-key": z.string().optional(),
  "log-level": z.enum(LOG_LEVELS).default("info"),
  help: z.boolean().default(false),
});

function readFlags() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: "string" },
        "login-port": { type: "string" },
        "portal-url": { type: "string" },
        "data-dir": { type: "string" },
        secrets: { type: "string" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        "log-level": { type: "string" },
        help: { type: "boolean" },
      },
    });
    const flags = flagsSchema.safeParse(values);
    if (flags.success) return flags.data;
    console.error(`${z.prettifyError(flags.error)}\n${USAGE}`);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
  }
  process.exit(2);
}

/**
 * The provider's secrets: from --secrets (a file someone else keeps, such as a launcher's; fields
 * the provider does not know are ignored), or its own file in the data directory, created on
 * first start.
 */
async function loadSecrets(flags: ReturnType<typeof readFlags>, dataDir: string) {
  const directory = loadDirectory();
  if (flags.secrets)
    return identityProviderSecretsSchema.parse(JSON.parse(fs.readFileSync(flags.secrets, "utf8")));
  return ensureSecretsFile(path.join(dataDir, "identity-provider.json"), directory);
}

async function main(): Promise<void> {
  const flags = readFlags();
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const dataDir = path.resolve(flags["data-dir"]);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const tls =
    flags["tls-cert"] && flags["tls-key"]
      ? {
          cert: fs.readFileSync(flags["tls-cert"], "utf8"),
          key: fs.readFileSync(flags["tls-key"], "utf8"),
        }
      : (await loadLocalTls(dataDir)).server;
  const secrets = await loadSecrets(flags, dataDir);
  const idp = await startIdentityProvider({
    secrets,
    tls,
    port: flags.port,
    loginPort: flags["login-port"],
    portalUrl: flags["portal-url"],
    logLevel: flags["log-level"],
  });
  const portal = applicationOfKind(idp.directory, "portal");
  console.log(
    [
      "Identity provider",
      `  issuer           ${idp.issuer}`,
      `  sign-in pages    ${idp.browserOrigin}`,
      `  accounts         ${demoAccounts(idp.directory, portal.appId, secrets.idp.passwords).length} (passwords in ${flags.secrets ?? path.join(dataDir, "identity-provider.json")})`,
    ].join("\n"),
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => void idp.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(`The identity provider could not start: ${(error as Error).message}`);
  process.exit(1);
});
