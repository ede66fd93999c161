import { constants, createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { describe, expect, it } from "vitest";

import { HsmError } from "../errors";
import { generateMaterial, type StoredKty } from "./material";
import {
  decrypt,
  encrypt,
  signDigest,
  unwrapKey,
  verifyDigest,
  wrapKey,
  type OperationKey,
} from "./operations";

const keys = new Map<string, OperationKey>();
function key(kty: StoredKty, options: { keySize?: number; crv?: string } = {}): OperationKey {
  const id = `${kty}:${options.keySize ?? ""}:${options.crv ?? ""}`;
  if (!keys.has(id)) keys.set(id, { kty, material: generateMaterial(kty, options) });
  return keys.get(id)!;
}

const digestOf = (hash: string, message: Buffer) => createHash(hash).update(message).digest();

describe("signatures over a digest", () => {
  it.each([
    ["RS256", "sha256", constants.RSA_PKCS1_PADDING, 2048],
    ["RS384", "sha384", constants.RSA_PKCS1_PADDING, 3072],
    ["RS512", "sha512", constants.RSA_PKCS1_PADDING, 2048],
    ["PS256", "sha256", constants.RSA_PKCS1_PSS_PADDING, 2048],
    ["PS384", "sha384", constants.RSA_PKCS1_PSS_PADDING, 3072],
    ["PS512", "sha512", constants.RSA_PKCS1_PSS_PADDING, 4096],
  ])("%s verifies with node:crypto over the message", (alg, hash, padding, keySize) => {
    const k = key("RSA-HSM", { keySize });
    const message = randomBytes(100);
    const signature = signDigest(k, alg, digestOf(hash, message));
    const publicKey = createPublicKey({
      key: { kty: "RSA", n: k.material.n, e: k.material.e },
      format: "jwk",
    });
    expect(
      verify(
        hash,
        message,
        { key: publicKey, padding, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        signature,
      ),
    ).toBe(true);
    expect(verifyDigest(k, alg, digestOf(hash, message), signature)).toBe(true);
    expect(verifyDigest(k, alg, digestOf(hash, randomBytes(10)), signature)).toBe(false);
  });

  it.each([
    ["ES256", "P-256", "sha256"],
    ["ES256K", "P-256K", "sha256"],
    ["ES384", "P-384", "sha384"],
    ["ES512", "P-521", "sha512"],
  ])("%s produces an IEEE P1363 signature node:crypto verifies", (alg, crv, hash) => {
    const k = key("EC-HSM", { crv });
    const message = randomBytes(64);
    const signature = signDigest(k, alg, digestOf(hash, message));
    if (crv !== "P-256K") {
      const publicKey = createPublicKey({
        key: { kty: "EC", crv, x: k.material.x, y: k.material.y },
        format: "jwk",
      });
      expect(verify(hash, message, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)).toBe(
        true,
      );
    }
    expect(verifyDigest(k, alg, digestOf(hash, message), signature)).toBe(true);
    expect(verifyDigest(k, alg, digestOf(hash, message), Buffer.alloc(signature.length))).toBe(
      false,
    );
  });

  it.each([
    [
      "a digest of the wrong length",
      () => signDigest(key("RSA-HSM"), "RS256", randomBytes(20)),
      "must be 32 bytes",
    ],
    [
      "an EC algorithm on another curve",
      () => signDigest(key("EC-HSM", { crv: "P-384" }), "ES256", randomBytes(32)),
      "curve P-256",
    ],
    [
      "an RSA algorithm on an EC key",
      () => signDigest(key("EC-HSM"), "PS256", randomBytes(32)),
      "not supported",
    ],
    ["an unknown algorithm", () => signDigest(key("RSA-HSM"), "RS1", randomBytes(32)), "Unknown"],
  ])("refuses %s", (_name, attempt, message) => {
    expect(attempt).toThrow(HsmError);
    expect(attempt).toThrow(message);
  });
});

describe("encryption and key wrapping", () => {
  it.each(["RSA-OAEP", "RSA-OAEP-256", "RSA1_5"])("%s round-trips with an RSA key", (alg) => {
    const k = key("RSA-HSM");
    const plaintext = randomBytes(32);
    const { value } = encrypt(k, alg, { value: plaintext });
    expect(value.length).toBe(256);
    expect(decrypt(k, alg, { value })).toEqual(plaintext);
    expect(unwrapKey(k, alg, wrapKey(k, alg, plaintext))).toEqual(plaintext);
  });

  it.each([
    ["A128GCM", 128],
    ["A192GCM", 192],
    ["A256GCM", 256],
  ])("%s returns iv and tag and detects tampering", (alg, keySize) => {
    const k = key("oct-HSM", { keySize });
    const aad = Buffer.from("context");
    const sealed = encrypt(k, alg, { value: Buffer.from("secret"), aad });
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.tag).toHaveLength(16);
    expect(
      decrypt(k, alg, { value: sealed.value, iv: sealed.iv, tag: sealed.tag, aad }).toString(),
    ).toBe("secret");
    const tampered = Buffer.from(sealed.value);
    tampered[0] = tampered[0]! ^ 1;
    expect(() => decrypt(k, alg, { value: tampered, iv: sealed.iv, tag: sealed.tag, aad })).toThrow(
      HsmError,
    );
  });

  it.each(["A128CBC", "A192CBCPAD", "A256CBCPAD"])("%s round-trips with the client's iv", (alg) => {
    const k = key("oct-HSM", { keySize: Number(alg.slice(1, 4)) });
    const iv = randomBytes(16);
    const plaintext = alg.endsWith("PAD") ? Buffer.from("not a block multiple") : randomBytes(32);
    const { value } = encrypt(k, alg, { value: plaintext, iv });
    expect(decrypt(k, alg, { value, iv })).toEqual(plaintext);
  });

  it.each(["A128KW", "A192KW", "A256KW"])("%s wraps and unwraps a key (RFC 3394)", (alg) => {
    const k = key("oct-HSM", { keySize: Number(alg.slice(1, 4)) });
    const secret = randomBytes(32);
    const wrapped = wrapKey(k, alg, secret);
    expect(wrapped).toHaveLength(40);
    expect(unwrapKey(k, alg, wrapped)).toEqual(secret);
  });

  it("refuses an AES algorithm of another size than the key", () => {
    expect(() =>
      encrypt(key("oct-HSM", { keySize: 128 }), "A256GCM", { value: Buffer.from("x") }),
    ).toThrow("needs a 256-bit key");
  });
});
