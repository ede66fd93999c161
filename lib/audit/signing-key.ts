import "server-only";

import { createPrivateKey } from "node:crypto";
import fs from "node:fs";
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from "jose";

import { getEnv, type Env } from "@/lib/env";
import type { Ed25519PublicJwk } from "@/lib/env-variables-audit";
import { readLocalSecrets } from "@/lib/local-secrets";

/*
 * The keys of the audit checkpoints: the current Ed25519 signing key (locally from secrets.json,
 * in azure mode from KEYWARD_AUDIT_SIGNING_KEY_FILE) and the public keys trusted to have signed
 * checkpoints (the current one and KEYWARD_AUDIT_PREVIOUS_KEYS, so that a replaced key's
 * checkpoints still verify). A key is named by its RFC 7638 thumbprint, never by what a file or a
 * JWS header claims. The private key never leaves this module's objects: nothing logs it.
 */

/** A public key as published at /api/audit/keys. */
export interface PublishedJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  alg: "EdDSA";
  use: "sig";
}

export interface TrustedKey {
  kid: string;
  jwk: PublishedJwk;
  key: CryptoKey;
}

export interface AuditKeys {
  signer: { kid: string; privateKey: CryptoKey };
  /** Every key whose checkpoints verify, by kid; the signer's own is among them. */
  trusted: Map<string, TrustedKey>;
}

/** Why the checkpoints cannot be signed or verified: the message says what to configure. */
export class AuditKeyError extends Error {
  override name = "AuditKeyError";
}

async function importEd25519(jwk: JWK): Promise<CryptoKey> {
  const key = await importJWK(jwk, "EdDSA");
  // Only an "oct" JWK imports as bytes; an OKP one is always a CryptoKey.
  if (key instanceof Uint8Array) throw new AuditKeyError("not an Ed25519 key");
  return key;
}

async function trustedKey(jwk: Pick<Ed25519PublicJwk, "x">): Promise<TrustedKey> {
  const { x } = jwk;
  const kid = await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x });
  const published: PublishedJwk = { kty: "OKP", crv: "Ed25519", x, kid, alg: "EdDSA", use: "sig" };
  return { kid, jwk: published, key: await importEd25519(published) };
}

/** The key set of a private JWK (`x`, `d`) and the previous public keys. */
export async function auditKeysFromJwk(
  privateJwk: { x: string; d: string },
  previous: readonly Pick<Ed25519PublicJwk, "x">[] = [],
): Promise<AuditKeys> {
  const current = await trustedKey({ x: privateJwk.x });
  const privateKey = await importEd25519({
    kty: "OKP",
    crv: "Ed25519",
    x: privateJwk.x,
    d: privateJwk.d,
  });
  const trusted = new Map<string, TrustedKey>([[current.kid, current]]);
  for (const jwk of previous) {
    const key = await trustedKey(jwk);
    if (!trusted.has(key.kid)) trusted.set(key.kid, key);
  }
  return { signer: { kid: current.kid, privateKey }, trusted };
}

/** An Ed25519 private key from PKCS#8 PEM, as the `x` and `d` of its JWK. */
export function ed25519FromPem(pem: string): { x: string; d: string } {
  let jwk;
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "ed25519")
      throw new AuditKeyError(`it holds an ${key.asymmetricKeyType ?? "unknown"} key`);
    jwk = key.export({ format: "jwk" });
  } catch (error) {
    if (error instanceof AuditKeyError) throw error;
    throw new AuditKeyError("it is not an unencrypted PKCS#8 PEM private key");
  }
  if (!jwk.x || !jwk.d) throw new AuditKeyError("it holds no Ed25519 private key");
  return { x: jwk.x, d: jwk.d };
}

/** The audit keys a configuration names (the doctor checks them without loading them for good). */
export async function loadAuditKeys(env: Env): Promise<AuditKeys> {
  if (env.mode === "local") {
    let key;
    try {
      key = readLocalSecrets(env.dataDir).auditSigningKey;
    } catch (error) {
      throw new AuditKeyError((error as Error).message);
    }
    if (!key)
      throw new AuditKeyError(
        "secrets.json has no audit signing key: start the local stack with npm run demo, which adds it",
      );
    return auditKeysFromJwk(key, env.audit.previousKeys);
  }
  const file = env.auditAnchor.signingKeyFile;
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new AuditKeyError(
      `KEYWARD_AUDIT_SIGNING_KEY_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  try {
    return await auditKeysFromJwk(ed25519FromPem(pem), env.audit.previousKeys);
  } catch (error) {
    throw new AuditKeyError(
      `KEYWARD_AUDIT_SIGNING_KEY_FILE ${file} is unusable: ${(error as Error).message}; generate one with openssl genpkey -algorithm ed25519`,
    );
  }
}

let loaded: Promise<AuditKeys> | undefined;

/** This process's audit keys, loaded once (a failed load is tried again next time). */
export function getAuditKeys(): Promise<AuditKeys> {
  loaded ??= loadAuditKeys(getEnv()).catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

/** The trusted public keys as a JWK Set, the current key first. */
export function publishedKeySet(keys: AuditKeys): { keys: PublishedJwk[] } {
  return { keys: [...keys.trusted.values()].map((key) => key.jwk) };
}
