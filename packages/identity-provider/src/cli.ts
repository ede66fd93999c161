// identity-provider – the local Entra ID stand-in as a command (see the package README)
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadLocalTls } from "@keyward/local-https";
import { z } from "zod";

import { applicationOfKind, demoAccounts, loadDirectory } from "./directory";
import type { ManagedIdentityEndpoint } from "./managed-identity";
import { ensureSecretsFile, identityProviderSecretsSchema } from "./secrets";
import { startIdentityProvider } from "./server";

const USAGE = `Usage: identity-provider [--port 8444] [--login-port 8445] [--portal-url http://localhost:3000]
                         [--data-dir dir] [--secrets secrets.json] [--tls-cert cert.pem --tls-key key.pem]
                         [--client-certificate <appId>=<cert.pem>]... [--federated-credential <appId>=<subject>]...
                         [--managed-identity-port <port> [--user-assigned-identity <clientId>=<objectId>]...]
                         [--log-level info]`;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** A repeatable `<name>=<value>` flag. */
const pair = (shape: string) =>
  z
    .string()
    .regex(/^[^=]+=.+$/, `expected ${shape}`)
    .transform((value) => {
      const index = value.indexOf("=");
      return [value.slice(0, index), value.slice(index + 1)] as const;
    });

const flagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8444),
  "login-port": z.coerce.number().int().min(0).max(65_535).default(8445),
  "portal-url": z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
  "data-dir": z.string().default(".identity-provider"),
  secrets: z.string().optional(),
  "tls-cert": z.string().optional(),
  "tls-key": z.string().optional(),
  "log-level": z.enum(LOG_LEVELS).default("info"),
  "client-certificate": z.array(pair("<appId>=<cert.pem>")).default([]),
  "federated-credential": z.array(pair("<appId>=<subject>")).default([]),
  "managed-identity-port": z.coerce.number().int().min(0).max(65_535).optional(),
  "user-assigned-identity": z.array(pair("<clientId>=<objectId>")).default([]),
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
        "client-certificate": { type: "string", multiple: true },
        "federated-credential": { type: "string", multiple: true },
        "managed-identity-port": { type: "string" },
        "user-assigned-identity": { type: "string", multiple: true },
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

function grouped<T>(entries: (readonly [string, T])[]): Record<string, T[]> {
  const groups: Record<string, T[]> = {};
  for (const [key, value] of entries) (groups[key] ??= []).push(value);
  return groups;
}

/**
 * The managed identity endpoint's variables go to a file of their own (mode 0600): the header
 * is a secret, and a process that should use the identity reads them from there.
 */
function managedIdentityLines(endpoint: ManagedIdentityEndpoint, dataDir: string): string[] {
  const file = path.join(dataDir, "managed-identity.env");
  // Written anew, so that the mode applies to a file left by an earlier run too.
  fs.rmSync(file, { force: true });
  fs.writeFileSync(
    file,
    `IDENTITY_ENDPOINT=${endpoint.endpoint}\nIDENTITY_HEADER=${endpoint.header}\n`,
    { mode: 0o600 },
  );
  return [
    `  managed identity ${endpoint.endpoint} (IDENTITY_ENDPOINT and IDENTITY_HEADER in ${file})`,
    `  system-assigned  object id ${endpoint.systemAssigned.objectId}`,
  ];
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
    clientCertificates: grouped(
      flags["client-certificate"].map(([appId, file]) => [appId, fs.readFileSync(file, "utf8")]),
    ),
    federatedCredentials: grouped(
      flags["federated-credential"].map(([appId, subject]) => [appId, { subject }]),
    ),
    ...(flags["managed-identity-port"] === undefined
      ? {}
      : {
          managedIdentity: {
            port: flags["managed-identity-port"],
            userAssigned: flags["user-assigned-identity"].map(([clientId, objectId]) => ({
              clientId,
              objectId,
            })),
          },
        }),
  });
  const portal = applicationOfKind(idp.directory, "portal");
  console.log(
    [
      "Identity provider",
      `  issuer           ${idp.issuer}`,
      `  sign-in pages    ${idp.browserOrigin}`,
      `  accounts         ${demoAccounts(idp.directory, portal.appId, secrets.idp.passwords).length} (passwords in ${flags.secrets ?? path.join(dataDir, "identity-provider.json")})`,
      ...(idp.managedIdentity ? managedIdentityLines(idp.managedIdentity, dataDir) : []),
    ].join("\n"),
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => void idp.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(`The identity provider could not start: ${(error as Error).message}`);
  process.exit(1);
});
