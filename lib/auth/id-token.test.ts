import { createHmac } from "node:crypto";
import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type JWTPayload,
} from "jose";
import { beforeAll, describe, expect, it } from "vitest";

import { IdTokenError, verifyIdToken, type IdTokenExpectations } from "@/lib/auth/id-token";

const ISSUER = "https://login.example/tenant-1/v2.0";
const CLIENT = "client-1";
const TENANT = "tenant-1";
const NONCE = "nonce-1";

let trusted: CryptoKeyPair;
let attacker: CryptoKeyPair;
let expectations: IdTokenExpectations;

beforeAll(async () => {
  trusted = await generateKeyPair("RS256", { extractable: true });
  attacker = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(trusted.publicKey)), kid: "trusted", alg: "RS256" };
  expectations = {
    keys: createLocalJWKSet({ keys: [jwk] }),
    issuer: ISSUER,
    audience: CLIENT,
    tenantId: TENANT,
    nonce: NONCE,
  };
});

const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  oid: "user-1",
  tid: TENANT,
  nonce: NONCE,
  name: "Kim",
  preferred_username: "kim@example.test",
  roles: ["Keyward.KeyAdmin"],
  groups: ["g1"],
  ...overrides,
});

function sign(
  payload: JWTPayload,
  options: {
    key?: CryptoKey;
    kid?: string;
    iss?: string;
    aud?: string;
    exp?: string | number;
  } = {},
) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "trusted" })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? CLIENT)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? "1h")
    .sign(options.key ?? trusted.privateKey);
}

describe("verifyIdToken", () => {
  it("accepts a token from the configured issuer for this client and sign-in", async () => {
    const verified = await verifyIdToken(await sign(claims()), expectations);
    expect(verified).toMatchObject({
      oid: "user-1",
      tid: TENANT,
      roles: ["Keyward.KeyAdmin"],
      groups: ["g1"],
    });
  });

  it("defaults missing roles and groups to none", async () => {
    const verified = await verifyIdToken(
      await sign(claims({ roles: undefined, groups: undefined })),
      expectations,
    );
    expect(verified.roles).toEqual([]);
  });

  const forgeries: [string, () => Promise<string>, RegExp][] = [
    ["a wrong audience", () => sign(claims(), { aud: "someone-else" }), /aud/],
    ["a wrong issuer", () => sign(claims(), { iss: "https://evil.example/v2.0" }), /iss/],
    [
      "a signature by another key under our key id",
      () => sign(claims(), { key: attacker.privateKey }),
      /signature/,
    ],
    [
      "an unknown key id",
      () => sign(claims(), { key: attacker.privateKey, kid: "attacker" }),
      /key/i,
    ],
    [
      "alg none",
      () =>
        Promise.resolve(
          new UnsecuredJWT(claims())
            .setIssuer(ISSUER)
            .setAudience(CLIENT)
            .setIssuedAt()
            .setExpirationTime("1h")
            .encode(),
        ),
      /alg|algorithm/i,
    ],
    [
      "HS256 keyed with our public key (algorithm confusion)",
      async () => {
        const header = Buffer.from(JSON.stringify({ alg: "HS256", kid: "trusted" })).toString(
          "base64url",
        );
        const now = Math.floor(Date.now() / 1000);
        const body = Buffer.from(
          JSON.stringify({ ...claims(), iss: ISSUER, aud: CLIENT, iat: now, exp: now + 3600 }),
        ).toString("base64url");
        const secret = await exportSPKI(trusted.publicKey);
        return `${header}.${body}.${createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url")}`;
      },
      /alg|algorithm/i,
    ],
    [
      "an expired token",
      () => sign(claims(), { exp: Math.floor(Date.now() / 1000) - 3600 }),
      /exp/,
    ],
    ["another sign-in's nonce", () => sign(claims({ nonce: "replayed" })), /nonce/],
    ["another tenant", () => sign(claims({ tid: "tenant-2" })), /tenant/],
    ["no object id", () => sign(claims({ oid: undefined })), /oid/],
    ["garbage", () => Promise.resolve("not.a.token"), /not valid/],
  ];

  it.each(forgeries)("refuses %s", async (_name, forge, reason) => {
    const attempt = verifyIdToken(await forge(), expectations);
    await expect(attempt).rejects.toBeInstanceOf(IdTokenError);
    await expect(attempt).rejects.toThrow(reason);
  });
});
