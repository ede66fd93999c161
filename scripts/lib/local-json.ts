import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/*
 * .keyward/local.json: every endpoint of the running local stack, the CA that signs its
 * certificates and (added by later parts) demo accounts and tool credentials. Tools and tests
 * read this file instead of guessing ports. It may hold secrets of the local stack, so it is
 * written with mode 0600.
 */

export const localJsonSchema = z.object({
  version: z.literal(1),
  writtenAt: z.string(),
  mode: z.literal("local"),
  dataDir: z.string(),
  portal: z.object({ url: z.url(), healthUrl: z.url() }),
  tls: z.object({ caFile: z.string(), certFile: z.string(), keyFile: z.string() }),
  idp: z.object({
    issuer: z.url(),
    metadataUrl: z.url(),
    /** Where browsers reach the sign-in pages. */
    signInOrigin: z.url(),
    tenantId: z.string(),
    directoryApi: z.url(),
    /** A service principal for scripts and other projects' tests: client credentials for HSM tokens. */
    toolClient: z.object({ clientId: z.string(), clientSecret: z.string() }),
  }),
  accounts: z.array(
    z.object({
      login: z.string(),
      name: z.string(),
      roles: z.array(z.string()),
      password: z.string(),
    }),
  ),
  /** The emulated HSMs: point an Azure SDK client at `url`, trusting `tls.caFile`. */
  hsms: z.array(z.object({ name: z.string(), region: z.string(), url: z.url() })),
  emulator: z.object({
    /** Whether the clock and fault control endpoints exist. */
    testMode: z.boolean(),
    /** Object ids holding Managed HSM Administrator on every local HSM from its creation. */
    administrators: z.array(z.string()),
  }),
  azurite: z.object({
    blobEndpoint: z.url(),
    accountName: z.string(),
    accountKey: z.string(),
    connectionString: z.string(),
  }),
  database: z.object({ kind: z.enum(["sqlite", "postgres"]), location: z.string() }),
});

export type LocalJson = z.infer<typeof localJsonSchema>;

export function localJsonPath(dataDir: string): string {
  return path.join(dataDir, "local.json");
}

export function writeLocalJson(dataDir: string, content: LocalJson): string {
  const file = localJsonPath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(localJsonSchema.parse(content), null, 2)}\n`, {
    mode: 0o600,
  });
  fs.renameSync(temporary, file);
  return file;
}

export function readLocalJson(dataDir: string): LocalJson {
  const file = localJsonPath(dataDir);
  if (!fs.existsSync(file))
    throw new Error(`${file} does not exist: start the local stack with npm run demo first.`);
  return localJsonSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}
