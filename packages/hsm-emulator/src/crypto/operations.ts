import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

import { badParameter } from "../errors";
import { CURVES, fromB64, type Curve, type PrivateJwk, type StoredKty } from "./material";
import { rsaDecrypt, rsaEncrypt, rsaSign, rsaVerify, type Hash, type RsaEncryption } from "./rsa";
import {
  aesDecrypt,
  aesEncrypt,
  aesUnwrap,
  aesWrap,
  hmacSign,
  hmacVerify,
  type SymmetricResult,
} from "./symmetric";

/*
 * The cryptographic operations of Managed HSM, dispatched by algorithm and checked against the
 * key type, curve and digest length, with the service's algorithm names.
 */

export interface OperationKey {
  kty: StoredKty;
  material: PrivateJwk;
}

type SignAlgorithm =
  | { family: "rsa"; padding: "pkcs1" | "pss"; hash: Hash }
  | { family: "ec"; curve: Curve; bytes: number }
  | { family: "hmac"; hash: Hash };

const HASH_BYTES: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };

export const SIGN_ALGORITHMS: Record<string, SignAlgorithm> = {
  RS256: { family: "rsa", padding: "pkcs1", hash: "sha256" },
  RS384: { family: "rsa", padding: "pkcs1", hash: "sha384" },
  RS512: { family: "rsa", padding: "pkcs1", hash: "sha512" },
  PS256: { family: "rsa", padding: "pss", hash: "sha256" },
  PS384: { family: "rsa", padding: "pss", hash: "sha384" },
  PS512: { family: "rsa", padding: "pss", hash: "sha512" },
  ES256: { family: "ec", curve: "P-256", bytes: 32 },
  ES256K: { family: "ec", curve: "P-256K", bytes: 32 },
  ES384: { family: "ec", curve: "P-384", bytes: 48 },
  ES512: { family: "ec", curve: "P-521", bytes: 64 },
  HS256: { family: "hmac", hash: "sha256" },
  HS384: { family: "hmac", hash: "sha384" },
  HS512: { family: "hmac", hash: "sha512" },
};

const RSA_ENCRYPTION = new Set(["RSA-OAEP", "RSA-OAEP-256", "RSA1_5"]);
const AES_ENCRYPTION = /^A(128|192|256)(GCM|CBC|CBCPAD)$/;
const AES_WRAP = /^A(128|192|256)KW$/;

const keyObjects = new WeakMap<PrivateJwk, KeyObject>();

function rsaKey(key: OperationKey): KeyObject {
  let cached = keyObjects.get(key.material);
  if (!cached) {
    cached = createPrivateKey({ key: key.material as never, format: "jwk" });
    keyObjects.set(key.material, cached);
  }
  return cached;
}

function unsupported(alg: string, key: OperationKey): never {
  throw badParameter(`The algorithm ${alg} is not supported for a key of type ${key.kty}.`);
}

function signAlgorithmFor(alg: string, key: OperationKey, digest: Buffer): SignAlgorithm {
  const algorithm = SIGN_ALGORITHMS[alg];
  if (!algorithm) throw badParameter(`Unknown signature algorithm ${alg}.`);
  const expected = algorithm.family === "ec" ? algorithm.bytes : HASH_BYTES[algorithm.hash];
  if (algorithm.family === "rsa" && key.kty !== "RSA-HSM") unsupported(alg, key);
  if (algorithm.family === "hmac" && key.kty !== "oct-HSM") unsupported(alg, key);
  if (algorithm.family === "ec" && (key.kty !== "EC-HSM" || key.material.crv !== algorithm.curve))
    throw badParameter(`The algorithm ${alg} needs a key on curve ${algorithm.curve}.`);
  if (digest.length !== expected)
    throw badParameter(
      `The digest for ${alg} must be ${expected} bytes; it was ${digest.length} bytes.`,
    );
  return algorithm;
}

export function signDigest(key: OperationKey, alg: string, digest: Buffer): Buffer {
  const algorithm = signAlgorithmFor(alg, key, digest);
  if (algorithm.family === "rsa")
    return rsaSign(rsaKey(key), algorithm.padding, algorithm.hash, digest);
  if (algorithm.family === "hmac") return hmacSign(fromB64(key.material.k), algorithm.hash, digest);
  return Buffer.from(
    CURVES[algorithm.curve].sign(digest, fromB64(key.material.d), { prehash: false }),
  );
}

export function verifyDigest(
  key: OperationKey,
  alg: string,
  digest: Buffer,
  signature: Buffer,
): boolean {
  const algorithm = signAlgorithmFor(alg, key, digest);
  if (algorithm.family === "rsa")
    return rsaVerify(
      createPublicKey(rsaKey(key)),
      algorithm.padding,
      algorithm.hash,
      digest,
      signature,
    );
  if (algorithm.family === "hmac")
    return hmacVerify(fromB64(key.material.k), algorithm.hash, digest, signature);
  const point = Buffer.concat([Buffer.from([4]), fromB64(key.material.x), fromB64(key.material.y)]);
  try {
    return CURVES[algorithm.curve].verify(signature, digest, point, { prehash: false });
  } catch {
    return false;
  }
}

export interface CipherInput {
  value: Buffer;
  iv?: Buffer;
  tag?: Buffer;
  aad?: Buffer;
}

export function encrypt(key: OperationKey, alg: string, input: CipherInput): SymmetricResult {
  if (RSA_ENCRYPTION.has(alg)) {
    if (key.kty !== "RSA-HSM") unsupported(alg, key);
    return { value: rsaEncrypt(createPublicKey(rsaKey(key)), alg as RsaEncryption, input.value) };
  }
  if (AES_ENCRYPTION.test(alg)) {
    if (key.kty !== "oct-HSM") unsupported(alg, key);
    return aesEncrypt(fromB64(key.material.k), alg, input.value, input.iv, input.aad);
  }
  throw badParameter(`Unknown encryption algorithm ${alg}.`);
}

export function decrypt(key: OperationKey, alg: string, input: CipherInput): Buffer {
  if (RSA_ENCRYPTION.has(alg)) {
    if (key.kty !== "RSA-HSM") unsupported(alg, key);
    return rsaDecrypt(rsaKey(key), alg as RsaEncryption, input.value);
  }
  if (AES_ENCRYPTION.test(alg)) {
    if (key.kty !== "oct-HSM") unsupported(alg, key);
    return aesDecrypt(fromB64(key.material.k), alg, input.value, input.iv, input.tag, input.aad);
  }
  throw badParameter(`Unknown encryption algorithm ${alg}.`);
}

export function wrapKey(key: OperationKey, alg: string, value: Buffer): Buffer {
  if (AES_WRAP.test(alg)) {
    if (key.kty !== "oct-HSM") unsupported(alg, key);
    return aesWrap(fromB64(key.material.k), alg, value);
  }
  return encrypt(key, alg, { value }).value;
}

export function unwrapKey(key: OperationKey, alg: string, value: Buffer): Buffer {
  if (AES_WRAP.test(alg)) {
    if (key.kty !== "oct-HSM") unsupported(alg, key);
    return aesUnwrap(fromB64(key.material.k), alg, value);
  }
  return decrypt(key, alg, { value });
}
