import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import { calculateJwkThumbprint, type JWK } from "jose";
import { z } from "zod";

import type { Directory } from "./directory";

/*
 * What the provider keeps secret: the client secrets it issues (the portal, the tool client and
 * every workload application of the directory), its token-signing key, its cookie keys and the
 * users' passwords. Created once and kept by whoever runs the provider (the launcher keeps them
 * in its own secrets file; the standalone command in <data-dir>/identity-provider.json).
 */

export const identityProviderSecretsSchema = z.object({
  portalClientSecret: z.string().min(32),
  toolClientSecret: z.string().min(32),
  /** Client secrets of the directory's workload applications, by application id. */
  workloadSecrets: z.record(z.string(), z.string().min(32)).default({}),
  idp: z.object({
    signingKey: z.record(z.string(), z.unknown()),
    cookieKeys: z.array(z.string().min(32)).min(1),
    passwords: z.record(z.string(), z.string().min(8)),
  }),
});

export type IdentityProviderSecrets = z.infer<typeof identityProviderSecretsSchema>;

const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Readable, typeable and still 60 bits: "Kw-7F3K-Q9PZ-M2XA"-like. */
function demoPassword(): string {
  const chars = [...randomBytes(12)]
    .map((b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]!)
    .join("");
  return `Kw-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

async function signingKey(): Promise<Record<string, unknown>> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as JWK;
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: "RS256", use: "sig" };
}

/**
 * The secrets for this directory: the existing ones kept, anything missing generated (a new
 * workload application gets a client secret, a new user a password). `changed` says whether
 * anything was added, so the caller knows to write them back.
 */
export async function completeSecrets(
  directory: Directory,
  existing?: IdentityProviderSecrets,
): Promise<{ secrets: IdentityProviderSecrets; changed: boolean }> {
  const secrets: IdentityProviderSecrets = existing
    ? structuredClone(existing)
    : {
        portalClientSecret: randomSecret(),
        toolClientSecret: randomSecret(),
        workloadSecrets: {},
        idp: { signingKey: await signingKey(), cookieKeys: [randomSecret()], passwords: {} },
      };
  let changed = !existing;
  for (const app of directory.applications.filter((a) => a.kind === "workload")) {
    if (secrets.workloadSecrets[app.appId]) continue;
    secrets.workloadSecrets[app.appId] = randomSecret();
    changed = true;
  }
  for (const user of directory.users) {
    if (secrets.idp.passwords[user.userPrincipalName]) continue;
    secrets.idp.passwords[user.userPrincipalName] = demoPassword();
    changed = true;
  }
  return { secrets, changed };
}

/**
 * The provider's own secrets file (mode 0600): read, completed for the directory and written back
 * when something was added; created on first use. An unreadable file is replaced.
 */
export async function ensureSecretsFile(
  file: string,
  directory: Directory,
): Promise<IdentityProviderSecrets> {
  const stored = fs.existsSync(file)
    ? identityProviderSecretsSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")))
    : undefined;
  const { secrets, changed } = await completeSecrets(
    directory,
    stored?.success ? stored.data : undefined,
  );
  if (changed) fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** The client secret the provider issued to an application of the directory, if any. */
export function clientSecretOf(
  directory: Directory,
  secrets: IdentityProviderSecrets,
  appId: string,
): string | undefined {
  const app = directory.applications.find((a) => a.appId === appId);
  if (!app) return undefined;
  if (app.kind === "portal") return secrets.portalClientSecret;
  if (app.kind === "tool") return secrets.toolClientSecret;
  return secrets.workloadSecrets[appId];
}

/** The public half of the signing key, as the provider publishes it. */
export function publicJwk(privateJwk: Record<string, unknown>): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = privateJwk;
  return rest;
}
