import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import { calculateJwkThumbprint, type JWK } from "jose";

import type { Directory } from "@/lib/idp/directory";
import { localSecretsPath, localSecretsSchema, type LocalSecrets } from "@/lib/local-secrets";

const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Readable, typeable and still 50 bits: "Kw-7F3K-Q9PZ-M2XA"-like. */
export function demoPassword(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]!).join("");
  return `Kw-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

async function signingKey(): Promise<Record<string, unknown>> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as JWK;
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: "RS256", use: "sig" };
}

/**
 * Creates `<data dir>/secrets.json` on first run and keeps it afterwards, adding a password
 * for any user the demo directory gained since.
 */
export async function ensureLocalSecrets(
  dataDir: string,
  directory: Directory,
): Promise<LocalSecrets> {
  const file = localSecretsPath(dataDir);
  const existing = fs.existsSync(file)
    ? localSecretsSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")))
    : undefined;
  const secrets: LocalSecrets = existing?.success
    ? existing.data
    : {
        version: 1,
        portalClientSecret: randomSecret(),
        toolClientSecret: randomSecret(),
        workloadSecrets: {},
        sessionKeys: [randomBytes(32).toString("base64")],
        idp: { signingKey: await signingKey(), cookieKeys: [randomSecret()], passwords: {} },
      };
  let changed = !existing?.success;
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
  if (changed) fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
