import { generateKeyPairSync, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isAppError, type AppError } from "@/lib/errors";
import { isOutcomeUnknown } from "@/lib/hsm/errors";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import { findKey, importKey } from "@/lib/hsm/key-writes";
import { getPublicKey } from "@/lib/hsm/keys";
import type { ImportedJwk } from "@/lib/hsm/types";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * importKey against the emulator through the real SDK: keys generated with node:crypto go in as
 * JWKs and their public halves come back out; the private members never reach an error.
 */

const HSM = "import-weu";
let stack: TestStack;
let hsm: HsmHandle;

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  const tool = stack.principalOf(LOCAL_TOOL_CLIENT_ID);
  for (const role of [BUILT_IN_ROLE_IDS.cryptoUser, BUILT_IN_ROLE_IDS.cryptoOfficer])
    await stack.grant(HSM, tool, role);
  hsm = createHsmHandle(
    { name: HSM, region: "West Europe", url: stack.hsmUrl(HSM), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
  );
});

afterAll(async () => {
  await stack?.close();
});

async function failureOf(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** Every string reachable from a value through own properties, enumerable or not. */
function reachableStrings(value: unknown, depth: number, seen = new Set<unknown>()): string[] {
  if (typeof value === "string") return [value];
  if (depth === 0 || typeof value !== "object" || value === null || seen.has(value)) return [];
  seen.add(value);
  return Object.getOwnPropertyNames(value).flatMap((name) =>
    reachableStrings((value as Record<string, unknown>)[name], depth - 1, seen),
  );
}

const DAY = 86_400_000;
const wholeSeconds = (ms: number) => Math.floor(ms / 1_000) * 1_000;

describe("importKey", () => {
  const jwkOf = (key: { export: (o: { format: "jwk" }) => unknown }) =>
    key.export({ format: "jwk" }) as ImportedJwk;

  it("imports an RSA key whose public half the HSM then hands out", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const imported = await importKey(hsm, "import-rsa", jwkOf(privateKey), {
      tags: { source: "test" },
      keyOps: ["sign", "verify"],
      expiresOn: wholeSeconds(Date.now() + 30 * DAY),
    });
    expect(imported).toMatchObject({
      kty: "RSA-HSM",
      keySize: 2048,
      keyOps: ["sign", "verify"],
      tags: { source: "test" },
    });
    expect(await findKey(hsm, "import-rsa", "interactive")).toEqual(imported);
    const expected = jwkOf(publicKey);
    expect((await getPublicKey(hsm, "import-rsa"))?.jwk).toMatchObject({
      kty: "RSA",
      n: expected.n,
      e: expected.e,
    });
  });

  it.each([
    ["P-256", "prime256v1"],
    ["P-256K", "secp256k1"],
    ["P-384", "secp384r1"],
  ] as const)("imports an EC key on %s", async (curve, namedCurve) => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve });
    const name = `import-ec-${curve.toLowerCase()}`;
    const imported = await importKey(hsm, name, jwkOf(privateKey), {});
    expect(imported).toMatchObject({ kty: "EC-HSM", curve, keyOps: ["sign", "verify"] });
    const expected = jwkOf(publicKey);
    expect((await getPublicKey(hsm, name))?.jwk).toMatchObject({
      kty: "EC",
      crv: curve,
      x: expected.x,
      y: expected.y,
    });
  });

  it("imports an AES key", async () => {
    const k = randomBytes(32).toString("base64url");
    const imported = await importKey(hsm, "import-aes", { kty: "oct", k }, { enabled: false });
    expect(imported).toMatchObject({ kty: "oct-HSM", enabled: false });
    expect(await findKey(hsm, "import-aes", "interactive")).toEqual(imported);
  });

  it("refuses a JWK without its private members before sending anything", async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const failure = await failureOf(importKey(hsm, "import-public", jwkOf(publicKey), {}));
    expect(failure.message).toBe(
      "HSM import-weu: cannot import key import-public: the JWK lacks d, p, q, dp, dq, qi.",
    );
    expect(isOutcomeUnknown(failure)).toBe(false);
  });

  it("keeps the private key out of the HSM's refusal, its cause and their printed forms", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const jwk = jwkOf(privateKey);
    const failure = await failureOf(importKey(hsm, "import-small", jwk, {}));
    expect(failure.code).toBe("bad_request");
    expect(failure.message).toMatch(/^HSM import-weu could not import key import-small: .*1024/);
    expect(isOutcomeUnknown(failure)).toBe(false);
    const printed = [
      inspect(failure, { depth: 10, showHidden: true }),
      JSON.stringify(failure),
      ...reachableStrings(failure, 5),
    ].join("\n");
    for (const member of ["d", "p", "q", "dp", "dq", "qi"] as const)
      expect(printed).not.toContain(jwk[member]!);
  });
});
