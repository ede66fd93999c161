import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, CompactSign } from "jose";
import { beforeAll, describe, expect, it } from "vitest";

import { checkpointBlobName } from "@/lib/audit/checkpoint-format";
import { readCheckpoint, signCheckpoint } from "@/lib/audit/checkpoint-jws";
import {
  AuditKeyError,
  auditKeysFromJwk,
  ed25519FromPem,
  publishedKeySet,
  type AuditKeys,
} from "@/lib/audit/signing-key";

const HASH = "cd".repeat(32);
const AT = Date.UTC(2026, 2, 1, 9, 30);
const NAME = checkpointBlobName(7, AT);
let keys: AuditKeys;

function ed25519Pem(): string {
  return generateKeyPairSync("ed25519")
    .privateKey.export({ format: "pem", type: "pkcs8" })
    .toString();
}

beforeAll(async () => {
  keys = await auditKeysFromJwk(ed25519FromPem(ed25519Pem()));
});

describe("audit signing keys", () => {
  it("are named by their RFC 7638 thumbprint and published without the private part", async () => {
    const { keys: published } = publishedKeySet(keys);
    expect(published).toHaveLength(1);
    const [jwk] = published;
    expect(Object.keys(jwk!).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwk!.kid).toBe(await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk!.x }));
    expect(keys.signer.kid).toBe(jwk!.kid);
  });

  it.each([
    [
      "an RSA key",
      generateKeyPairSync("rsa", { modulusLength: 1024 })
        .privateKey.export({ format: "pem", type: "pkcs8" })
        .toString(),
      "rsa",
    ],
    [
      "a public key",
      generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" }).toString(),
      "PKCS#8",
    ],
    ["garbage", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "PKCS#8"],
  ])("refuse %s in a PEM file", (_name, pem, reason) => {
    expect(() => ed25519FromPem(pem)).toThrow(AuditKeyError);
    expect(() => ed25519FromPem(pem)).toThrow(reason);
  });
});

describe("a stored checkpoint", () => {
  it("verifies when signed by a trusted key", async () => {
    const jws = await signCheckpoint({ seq: 7, hash: HASH, at: AT }, keys.signer);
    expect(await readCheckpoint(NAME, `${jws}\n`, keys.trusted)).toEqual({
      name: NAME,
      seq: 7,
      hash: HASH,
      at: AT,
      signatureValid: true,
    });
  });

  it.each([
    [
      "a changed payload",
      (jws: string) => {
        const [header, , signature] = jws.split(".");
        const payload = Buffer.from(
          JSON.stringify({ seq: 7, hash: "ef".repeat(32), at: new Date(AT).toISOString() }),
        ).toString("base64url");
        return `${header}.${payload}.${signature}`;
      },
      "the signature does not verify",
    ],
    [
      "a blob named for another seq",
      (jws: string) => jws,
      "its name says seq 8 but it signed seq 7",
      checkpointBlobName(8, AT),
    ],
    ["no JWS at all", () => "hello", "not an EdDSA compact JWS"],
    [
      "another typ",
      () =>
        new CompactSign(new TextEncoder().encode("{}"))
          .setProtectedHeader({ alg: "EdDSA", kid: keys.signer.kid, typ: "JWT" })
          .sign(keys.signer.privateKey),
      "its typ is not",
    ],
    [
      "no kid",
      () =>
        new CompactSign(new TextEncoder().encode("{}"))
          .setProtectedHeader({ alg: "EdDSA" })
          .sign(keys.signer.privateKey),
      "names no key",
    ],
    [
      "a name that is not a checkpoint's",
      (jws: string) => jws,
      "its name is not a checkpoint's",
      "audit-checkpoints/7.jws",
    ],
  ] as [string, (jws: string) => string | Promise<string>, string, string?][])(
    "is refused for %s",
    async (_case, make, reason, name = NAME) => {
      const jws = await make(await signCheckpoint({ seq: 7, hash: HASH, at: AT }, keys.signer));
      const claim = await readCheckpoint(name, jws, keys.trusted);
      expect(claim.signatureValid).toBe(false);
      expect(claim.signatureError).toContain(reason);
    },
  );
});
