import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import { completeSecrets, type Directory } from "@keyward/identity-provider";
import { calculateJwkThumbprint } from "jose";

import { localSecretsPath, localSecretsSchema, type LocalSecrets } from "@/lib/local-secrets";

/**
 * Creates `<data dir>/secrets.json` on first run and keeps it afterwards: the identity
 * provider's secrets (completed for any application or user the demo directory gained since)
 * and the portal's session keys and audit signing key (added to a file written before it existed).
 */
export async function ensureLocalSecrets(
  dataDir: string,
  directory: Directory,
): Promise<LocalSecrets> {
  const file = localSecretsPath(dataDir);
  const existing = fs.existsSync(file)
    ? localSecretsSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")))
    : undefined;
  const { secrets: idpSecrets, changed } = await completeSecrets(
    directory,
    existing?.success ? existing.data : undefined,
  );
  const auditSigningKey = existing?.success ? existing.data.auditSigningKey : undefined;
  const secrets: LocalSecrets = {
    ...idpSecrets,
    version: 1,
    sessionKeys: existing?.success
      ? existing.data.sessionKeys
      : [randomBytes(32).toString("base64")],
    auditSigningKey: auditSigningKey ?? (await newAuditSigningKey()),
  };
  if (changed || !existing?.success || !auditSigningKey)
    fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** A new Ed25519 key for the audit checkpoints, as a private JWK named by its thumbprint. */
async function newAuditSigningKey(): Promise<NonNullable<LocalSecrets["auditSigningKey"]>> {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x || !jwk.d)
    throw new Error("Node did not export an Ed25519 JWK");
  const { x, d } = jwk;
  return {
    kty: "OKP",
    crv: "Ed25519",
    x,
    d,
    kid: await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x }),
  };
}
