import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/*
 * Authenticated encryption (AES-256-GCM) for data at rest and in cookies. The first key seals;
 * any key opens, so keys rotate by prepending a new one. The purpose is bound as additional
 * data: a sealed token cache cannot be replayed as a sign-in cookie, or the other way round.
 */

export type SealPurpose =
  | "session-token-cache"
  | "sign-in-transaction"
  | "request-key-material"
  | "emulator-key-material"
  | "emulator-key-backup"
  | "emulator-full-backup"
  | "emulator-security-domain";

const VERSION = "v1";

function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 8);
}

export function decodeKeys(base64Keys: readonly string[]): Buffer[] {
  const keys = base64Keys.map((k) => Buffer.from(k, "base64"));
  if (keys.length === 0 || keys.some((k) => k.length !== 32))
    throw new Error("session keys must be 32 bytes each");
  return keys;
}

export function seal(plaintext: string, keys: readonly Buffer[], purpose: SealPurpose): string {
  const key = keys[0];
  if (!key) throw new Error("no sealing key");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(purpose));
  const ciphertext = Buffer.concat([
    cipher.update(plaintext, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return [VERSION, keyId(key), iv.toString("base64url"), ciphertext.toString("base64url")].join(
    ".",
  );
}

/** The plaintext, or null if the value was not sealed by one of these keys for this purpose. */
export function unseal(
  sealed: string,
  keys: readonly Buffer[],
  purpose: SealPurpose,
): string | null {
  const [version, id, ivText, bodyText] = sealed.split(".");
  if (version !== VERSION || !id || !ivText || !bodyText) return null;
  const key = keys.find((k) => keyId(k) === id);
  if (!key) return null;
  const body = Buffer.from(bodyText, "base64url");
  if (body.length < 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64url"));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - 16)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    return null;
  }
}
