import {
  constants,
  createHash,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from "node:crypto";

import { badParameter } from "../errors";

/*
 * RSA over a client-supplied digest, as Managed HSM does. RS* wraps the digest in a PKCS#1
 * DigestInfo; PS* is EMSA-PSS (RFC 8017 §9.1, salt as long as the hash) on the raw RSA
 * operation, since node:crypto signs messages, not digests. RSA1_5 decryption is done on the
 * raw operation too: Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809).
 */

export type Hash = "sha256" | "sha384" | "sha512";

const DIGEST_INFO: Record<Hash, Buffer> = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

const HASH_BYTES: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };

function modulusBits(key: KeyObject): number {
  return key.asymmetricKeyDetails?.modulusLength ?? 0;
}

function mgf1(hash: Hash, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * HASH_BYTES[hash] < length; counter += 1) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function rawPrivate(key: KeyObject, input: Buffer): Buffer {
  return privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, input);
}

function rawPublic(key: KeyObject, input: Buffer): Buffer {
  return publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, input);
}

function pssEncode(hash: Hash, digest: Buffer, emBits: number): Buffer {
  const hLen = HASH_BYTES[hash];
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const masked = mgf1(hash, h, emLen - hLen - 1).map((byte, i) => byte ^ db[i]!);
  masked[0] = masked[0]! & (0xff >> (8 * emLen - emBits));
  return Buffer.concat([masked, h, Buffer.from([0xbc])]);
}

function pssVerify(hash: Hash, digest: Buffer, em: Buffer, emBits: number): boolean {
  const hLen = HASH_BYTES[hash];
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if ((masked[0]! & ~(0xff >> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const db = mgf1(hash, h, emLen - hLen - 1).map((byte, i) => byte ^ masked[i]!);
  db[0] = db[0]! & (0xff >> (8 * emLen - emBits));
  const separator = emLen - 2 * hLen - 2;
  if (db.subarray(0, separator).some((byte) => byte !== 0) || db[separator] !== 1) return false;
  const salt = db.subarray(separator + 1);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(expected, h);
}

/** A k-byte big-endian integer as the raw RSA functions want it. */
function leftPad(bytes: Buffer, length: number): Buffer {
  return bytes.length >= length
    ? bytes
    : Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

export function rsaSign(
  key: KeyObject,
  padding: "pkcs1" | "pss",
  hash: Hash,
  digest: Buffer,
): Buffer {
  if (padding === "pkcs1")
    return privateEncrypt(
      { key, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([DIGEST_INFO[hash], digest]),
    );
  const bits = modulusBits(key);
  return rawPrivate(key, leftPad(pssEncode(hash, digest, bits - 1), bits / 8));
}

export function rsaVerify(
  key: KeyObject,
  padding: "pkcs1" | "pss",
  hash: Hash,
  digest: Buffer,
  signature: Buffer,
): boolean {
  const bytes = modulusBits(key) / 8;
  if (signature.length !== bytes) return false;
  try {
    if (padding === "pkcs1") {
      const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      const expected = Buffer.concat([DIGEST_INFO[hash], digest]);
      return recovered.length === expected.length && timingSafeEqual(recovered, expected);
    }
    const emBits = modulusBits(key) - 1;
    const em = rawPublic(key, signature);
    return pssVerify(hash, digest, em.subarray(em.length - Math.ceil(emBits / 8)), emBits);
  } catch {
    return false;
  }
}

export type RsaEncryption = "RSA-OAEP" | "RSA-OAEP-256" | "RSA1_5";

export function rsaEncrypt(key: KeyObject, alg: RsaEncryption, plaintext: Buffer): Buffer {
  try {
    if (alg === "RSA1_5")
      return publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, plaintext);
    return publicEncrypt(
      {
        key,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: alg === "RSA-OAEP" ? "sha1" : "sha256",
      },
      plaintext,
    );
  } catch {
    throw badParameter(`The plaintext is too long for ${alg} with this key.`);
  }
}

export function rsaDecrypt(key: KeyObject, alg: RsaEncryption, ciphertext: Buffer): Buffer {
  const bytes = modulusBits(key) / 8;
  if (ciphertext.length !== bytes)
    throw badParameter(`The ciphertext must be ${bytes} bytes for this key.`);
  try {
    if (alg !== "RSA1_5")
      return privateDecrypt(
        {
          key,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: alg === "RSA-OAEP" ? "sha1" : "sha256",
        },
        ciphertext,
      );
    const block = leftPad(rawPrivate(key, ciphertext), bytes);
    const separator = block.indexOf(0, 2);
    if (block[0] !== 0 || block[1] !== 2 || separator < 10) throw new Error("bad padding");
    return block.subarray(separator + 1);
  } catch {
    throw badParameter("The ciphertext could not be decrypted with this key and algorithm.");
  }
}
