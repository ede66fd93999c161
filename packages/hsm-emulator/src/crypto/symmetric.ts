import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

import { badParameter } from "../errors";

/* AES (GCM, CBC without and with PKCS#7 padding, key wrap RFC 3394) and HMAC with oct-HSM keys. */

export interface SymmetricResult {
  value: Buffer;
  iv?: Buffer;
  tag?: Buffer;
  aad?: Buffer;
}

const KW_IV = Buffer.alloc(8, 0xa6);

function aesBits(alg: string): number {
  return Number(/^A(128|192|256)/.exec(alg)?.[1] ?? 0);
}

function checkKey(key: Buffer, alg: string) {
  if (key.length * 8 !== aesBits(alg))
    throw badParameter(
      `The algorithm ${alg} needs a ${aesBits(alg)}-bit key; this key has ${key.length * 8} bits.`,
    );
}

export function aesEncrypt(
  key: Buffer,
  alg: string,
  plaintext: Buffer,
  iv?: Buffer,
  aad?: Buffer,
): SymmetricResult {
  checkKey(key, alg);
  const bits = aesBits(alg);
  if (alg.endsWith("GCM")) {
    const nonce = randomBytes(12);
    const cipher = createCipheriv(`aes-${bits}-gcm` as "aes-256-gcm", key, nonce);
    if (aad) cipher.setAAD(aad);
    const value = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { value, iv: nonce, tag: cipher.getAuthTag(), ...(aad ? { aad } : {}) };
  }
  if (!iv || iv.length !== 16) throw badParameter(`${alg} needs a 16-byte iv.`);
  const cipher = createCipheriv(`aes-${bits}-cbc`, key, iv);
  const padded = alg.endsWith("CBCPAD");
  cipher.setAutoPadding(padded);
  if (!padded && plaintext.length % 16 !== 0)
    throw badParameter(`${alg} needs a plaintext that is a multiple of 16 bytes.`);
  return { value: Buffer.concat([cipher.update(plaintext), cipher.final()]), iv };
}

export function aesDecrypt(
  key: Buffer,
  alg: string,
  ciphertext: Buffer,
  iv?: Buffer,
  tag?: Buffer,
  aad?: Buffer,
): Buffer {
  checkKey(key, alg);
  const bits = aesBits(alg);
  try {
    if (alg.endsWith("GCM")) {
      if (!iv || !tag)
        throw badParameter(`${alg} decryption needs the iv and the authentication tag.`);
      const decipher = createDecipheriv(`aes-${bits}-gcm` as "aes-256-gcm", key, iv);
      decipher.setAuthTag(tag);
      if (aad) decipher.setAAD(aad);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    }
    if (!iv || iv.length !== 16) throw badParameter(`${alg} needs a 16-byte iv.`);
    const decipher = createDecipheriv(`aes-${bits}-cbc`, key, iv);
    decipher.setAutoPadding(alg.endsWith("CBCPAD"));
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    if (error instanceof Error && error.name === "HsmError") throw error;
    throw badParameter("The ciphertext could not be decrypted with this key and algorithm.");
  }
}

export function aesWrap(key: Buffer, alg: string, keyToWrap: Buffer): Buffer {
  checkKey(key, alg);
  if (keyToWrap.length < 16 || keyToWrap.length % 8 !== 0)
    throw badParameter("AES key wrap takes a key of 16 bytes or more, in 8-byte steps.");
  const cipher = createCipheriv(`id-aes${aesBits(alg)}-wrap`, key, KW_IV);
  return Buffer.concat([cipher.update(keyToWrap), cipher.final()]);
}

export function aesUnwrap(key: Buffer, alg: string, wrapped: Buffer): Buffer {
  checkKey(key, alg);
  try {
    const decipher = createDecipheriv(`id-aes${aesBits(alg)}-wrap`, key, KW_IV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    throw badParameter("The wrapped key could not be unwrapped with this key.");
  }
}

export function hmacSign(key: Buffer, hash: "sha256" | "sha384" | "sha512", value: Buffer): Buffer {
  return createHmac(hash, key).update(value).digest();
}

export function hmacVerify(
  key: Buffer,
  hash: "sha256" | "sha384" | "sha512",
  value: Buffer,
  signature: Buffer,
): boolean {
  const expected = hmacSign(key, hash, value);
  return expected.length === signature.length && timingSafeEqual(expected, signature);
}
