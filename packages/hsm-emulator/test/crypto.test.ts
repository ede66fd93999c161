import { constants, createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { isRestError } from "@azure/core-rest-pipeline";
import type { KeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLE_IDS } from "../src/rbac/builtin-roles";
import { startTestStack, type TestStack } from "../src/testing";

/*
 * Cryptography through the SDK's CryptographyClient against the emulator: every signature
 * algorithm checked by node:crypto, encryption, key wrapping, and the refusals for disabled,
 * not-yet-valid and expired keys and for operations a key does not permit.
 */

const HSM = "crypto-weu";
let stack: TestStack;
let client: KeyClient;

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  await stack.grant(HSM, stack.principalOf(stack.toolClientId), BUILT_IN_ROLE_IDS.cryptoUser);
  client = stack.keyClient(HSM);
  await Promise.all([
    client.createRsaKey("rsa", { keySize: 2048 }),
    client.createEcKey("ec-256", { curve: "P-256" }),
    client.createEcKey("ec-256k", { curve: "P-256K" }),
    client.createEcKey("ec-384", { curve: "P-384" }),
    client.createEcKey("ec-521", { curve: "P-521" }),
    client.createOctKey("aes-128", { keySize: 128 }),
    client.createOctKey("aes-256", { keySize: 256 }),
  ]);
});

afterAll(() => stack.close());

function publicKeyOf(key: Awaited<ReturnType<KeyClient["getKey"]>>) {
  const jwk = key.key!;
  const b64 = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString("base64url");
  return jwk.kty!.startsWith("RSA")
    ? createPublicKey({ key: { kty: "RSA", n: b64(jwk.n), e: b64(jwk.e) }, format: "jwk" })
    : createPublicKey({
        key: { kty: "EC", crv: jwk.crv!, x: b64(jwk.x), y: b64(jwk.y) },
        format: "jwk",
      });
}

async function refused(promise: Promise<unknown>, status: number, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isRestError(error)) throw new Error(`expected a RestError, got ${String(error)}`);
  expect(error.statusCode).toBe(status);
  expect(error.message).toMatch(message);
}

describe("signatures", () => {
  it.each([
    ["RS256", "sha256", constants.RSA_PKCS1_PADDING],
    ["RS384", "sha384", constants.RSA_PKCS1_PADDING],
    ["RS512", "sha512", constants.RSA_PKCS1_PADDING],
    ["PS256", "sha256", constants.RSA_PKCS1_PSS_PADDING],
    ["PS384", "sha384", constants.RSA_PKCS1_PSS_PADDING],
    ["PS512", "sha512", constants.RSA_PKCS1_PSS_PADDING],
  ] as const)(
    "%s over a digest verifies locally with the public key",
    async (alg, hash, padding) => {
      const message = randomBytes(200);
      const crypto = client.getCryptographyClient("rsa");
      const { result } = await crypto.sign(alg, createHash(hash).update(message).digest());
      const key = await client.getKey("rsa");
      expect(
        verify(
          hash,
          message,
          { key: publicKeyOf(key), padding, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
          result,
        ),
      ).toBe(true);
      expect(
        (await crypto.verify(alg, createHash(hash).update(message).digest(), result)).result,
      ).toBe(true);
    },
  );

  it.each([
    ["ES256", "ec-256", "sha256"],
    ["ES384", "ec-384", "sha384"],
    ["ES512", "ec-521", "sha512"],
  ] as const)("%s verifies locally with the public key", async (alg, name, hash) => {
    const message = randomBytes(100);
    const { result } = await client
      .getCryptographyClient(name)
      .sign(alg, createHash(hash).update(message).digest());
    const key = await client.getKey(name);
    expect(
      verify(hash, message, { key: publicKeyOf(key), dsaEncoding: "ieee-p1363" }, result),
    ).toBe(true);
  });

  it("ES256K signs and verifies on secp256k1", async () => {
    const digest = createHash("sha256").update("bitcoin-ish").digest();
    const crypto = client.getCryptographyClient("ec-256k");
    const { result } = await crypto.sign("ES256K", digest);
    expect(result).toHaveLength(64);
    expect((await crypto.verify("ES256K", digest, result)).result).toBe(true);
  });

  it("the emulator's verify answers false for a wrong signature", async () => {
    const digest = createHash("sha256").update("x").digest();
    const response = await stack.request(HSM, stack.toolClientId, "POST", "/keys/rsa/verify", {
      alg: "RS256",
      digest: digest.toString("base64url"),
      value: Buffer.alloc(256, 1).toString("base64url"),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ value: false });
  });

  it("refuses a digest of the wrong length", async () => {
    await refused(
      client.getCryptographyClient("rsa").sign("RS256", randomBytes(20)),
      400,
      /must be 32 bytes/,
    );
  });
});

describe("encryption and key wrapping", () => {
  it.each(["RSA-OAEP", "RSA-OAEP-256", "RSA1_5"] as const)("%s round-trips", async (algorithm) => {
    const crypto = client.getCryptographyClient("rsa");
    const plaintext = randomBytes(48);
    const encrypted = await crypto.encrypt({ algorithm, plaintext });
    expect((await crypto.decrypt({ algorithm, ciphertext: encrypted.result })).result).toEqual(
      plaintext,
    );
    const wrapped = await crypto.wrapKey(algorithm, plaintext);
    expect((await crypto.unwrapKey(algorithm, wrapped.result)).result).toEqual(plaintext);
  });

  it("A256GCM encrypts with a fresh iv and tag and decrypts with them", async () => {
    const crypto = client.getCryptographyClient("aes-256");
    const additionalAuthenticatedData = Buffer.from("header");
    const encrypted = await crypto.encrypt({
      algorithm: "A256GCM",
      plaintext: Buffer.from("card data"),
      additionalAuthenticatedData,
    });
    expect(encrypted.iv).toHaveLength(12);
    expect(encrypted.authenticationTag).toHaveLength(16);
    const decrypted = await crypto.decrypt({
      algorithm: "A256GCM",
      ciphertext: encrypted.result,
      iv: encrypted.iv!,
      authenticationTag: encrypted.authenticationTag!,
      additionalAuthenticatedData,
    });
    expect(decrypted.result.toString()).toBe("card data");
  });

  it.each(["A128CBC", "A128CBCPAD"] as const)(
    "%s round-trips with the client's iv",
    async (algorithm) => {
      const crypto = client.getCryptographyClient("aes-128");
      const iv = randomBytes(16);
      const plaintext =
        algorithm === "A128CBC" ? randomBytes(32) : Buffer.from("padded plaintext!");
      const encrypted = await crypto.encrypt({ algorithm, plaintext, iv });
      expect(
        (await crypto.decrypt({ algorithm, ciphertext: encrypted.result, iv })).result,
      ).toEqual(plaintext);
    },
  );

  it.each([
    ["A128KW", "aes-128"],
    ["A256KW", "aes-256"],
  ] as const)("%s wraps a data key", async (algorithm, name) => {
    const crypto = client.getCryptographyClient(name);
    const dataKey = randomBytes(32);
    const wrapped = await crypto.wrapKey(algorithm, dataKey);
    expect(wrapped.result).toHaveLength(40);
    expect((await crypto.unwrapKey(algorithm, wrapped.result)).result).toEqual(dataKey);
  });

  it("refuses an algorithm the key type does not support", async () => {
    const response = await rest("POST", "/keys/ec-256/sign", signBody("PS256"));
    expect(response).toMatchObject({
      status: 400,
      body: {
        error: {
          code: "BadParameter",
          message: expect.stringMatching(/not supported for a key of type EC-HSM/) as unknown,
        },
      },
    });
  });
});

/* The SDK checks key_ops and dates itself before calling; these go to the REST API to prove the emulator enforces them too. */
const rest = (method: string, path: string, body: unknown) =>
  stack.request(HSM, stack.toolClientId, method, path, body);
const signBody = (alg: string) => ({ alg, value: randomBytes(32).toString("base64url") });

describe("keys that may not be used", () => {
  it("refuses a disabled key", async () => {
    const key = await client.createRsaKey("disabled");
    await client.updateKeyProperties("disabled", key.properties.version!, { enabled: false });
    await refused(
      client.getCryptographyClient("disabled").sign("RS256", randomBytes(32)),
      403,
      /disabled key/,
    );
  });

  it.each([
    ["an expired key", { expiresOn: new Date(Date.now() - 3_600_000) }, /expired key/],
    ["a key not yet valid", { notBefore: new Date(Date.now() + 3_600_000) }, /not yet valid/],
  ])("refuses %s", async (_name, dates, message) => {
    const name = `dated-${Math.random().toString(36).slice(2, 8)}`;
    await client.createEcKey(name, dates);
    const response = await rest("POST", `/keys/${name}/sign`, signBody("ES256"));
    expect(response.status).toBe(403);
    expect((response.body as { error: { message: string } }).error.message).toMatch(message);
  });

  it("refuses an operation missing from the key's key_ops", async () => {
    await client.createRsaKey("verify-only", { keyOps: ["verify"] });
    const response = await rest("POST", "/keys/verify-only/sign", signBody("RS256"));
    expect(response).toMatchObject({
      status: 403,
      body: {
        error: {
          code: "Forbidden",
          message: expect.stringMatching(
            /not permitted on this key \(key_ops: verify\)/,
          ) as unknown,
        },
      },
    });
  });
});
