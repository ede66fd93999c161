import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/*
 * What the emulator keeps or hands out sealed: key material at rest (under the instance's master
 * key) and backups (under the security domain's key). AES-256-GCM, the purpose bound as
 * additional data so that a key backup cannot be restored as a full backup. Format:
 * base64url(iv ‖ ciphertext ‖ tag).
 */

export type SealPurpose = "key-material" | "key-backup" | "full-backup" | "security-domain";

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(plaintext: string, key: Buffer, purpose: SealPurpose): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
}

/** The plaintext, or null when the value was not sealed with this key for this purpose. */
export function unseal(sealed: string, key: Buffer, purpose: SealPurpose): string | null {
  const bytes = Buffer.from(sealed, "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES) return null;
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES))
    .setAAD(Buffer.from(purpose))
    .setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
