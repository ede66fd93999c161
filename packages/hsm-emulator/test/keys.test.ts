import { isRestError } from "@azure/core-rest-pipeline";
import type { KeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUILT_IN_ROLE_IDS } from "../src/rbac/builtin-roles";
import { startTestStack, type TestStack } from "../src/testing";

/*
 * Key management through the unmodified @azure/keyvault-keys KeyClient, over HTTPS with the local
 * CA, against the emulator: every operation, paging, soft delete, backup and rotation policies.
 */

let stack: TestStack;
let client: KeyClient;
let protectedClient: KeyClient;
let otherDomainClient: KeyClient;
let sameDomainClient: KeyClient;

beforeAll(async () => {
  stack = await startTestStack([
    { name: "keys-weu", region: "West Europe", securityDomain: "domain-a" },
    { name: "keys-neu", region: "North Europe", securityDomain: "domain-a" },
    { name: "keys-other", region: "Sweden Central", securityDomain: "domain-b" },
    { name: "keys-protected", region: "West Europe", purgeProtection: true, retentionDays: 7 },
  ]);
  const tool = stack.principalOf(stack.toolClientId);
  for (const hsm of ["keys-weu", "keys-neu", "keys-other", "keys-protected"]) {
    await stack.grant(hsm, tool, BUILT_IN_ROLE_IDS.cryptoUser);
    await stack.grant(hsm, tool, BUILT_IN_ROLE_IDS.cryptoOfficer);
  }
  const clientFor = (hsm: string) => stack.keyClient(hsm);
  client = clientFor("keys-weu");
  sameDomainClient = clientFor("keys-neu");
  otherDomainClient = clientFor("keys-other");
  protectedClient = clientFor("keys-protected");
});

afterAll(() => stack.close());

async function expectRestError(
  promise: Promise<unknown>,
  status: number,
  code?: string,
  message?: RegExp,
) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isRestError(error)) throw new Error(`expected a RestError, got ${String(error)}`);
  expect(error.statusCode).toBe(status);
  if (code) expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
}

describe("creating and reading keys", () => {
  it.each([
    ["RSA", { keySize: 2048 }, 2048],
    ["RSA-HSM", { keySize: 3072 }, 3072],
    ["RSA", { keySize: 4096 }, 4096],
  ] as const)("creates %s keys of %o", async (kty, options, bits) => {
    const key = await client.createKey(`rsa-${bits}`, kty, {
      ...options,
      tags: { owner: "payments-team" },
    });
    expect(key.keyType).toBe("RSA-HSM");
    expect(key.key?.n?.length).toBe(bits / 8);
    expect(key.properties).toMatchObject({
      enabled: true,
      exportable: false,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
      tags: { owner: "payments-team" },
    });
    expect(key.id).toMatch(
      new RegExp(`^${stack.hsmUrl("keys-weu")}/keys/rsa-${bits}/[0-9a-f]{32}$`),
    );
    expect(key.keyOperations?.sort()).toEqual([
      "decrypt",
      "encrypt",
      "sign",
      "unwrapKey",
      "verify",
      "wrapKey",
    ]);
  });

  it.each(["P-256", "P-256K", "P-384", "P-521"] as const)(
    "creates EC keys on %s",
    async (curve) => {
      const key = await client.createEcKey(`ec-${curve.toLowerCase()}`, { curve, hsm: true });
      expect(key).toMatchObject({ keyType: "EC-HSM", key: { crv: curve } });
      expect(key.keyOperations?.sort()).toEqual(["sign", "verify"]);
    },
  );

  it.each([128, 192, 256])("creates %i-bit AES keys that show no material", async (keySize) => {
    const key = await client.createOctKey(`oct-${keySize}`, { keySize, hsm: true });
    expect(key.keyType).toBe("oct-HSM");
    expect(key.key?.k).toBeUndefined();
  });

  it("reads the latest version and a given one", async () => {
    const first = await client.createEcKey("versioned");
    const second = await client.createEcKey("versioned");
    expect((await client.getKey("versioned")).properties.version).toBe(second.properties.version);
    expect((await client.getKey("versioned", { version: first.properties.version })).id).toBe(
      first.id,
    );
    await expectRestError(
      client.getKey("versioned", { version: "0".repeat(32) }),
      404,
      "KeyNotFound",
    );
    await expectRestError(
      client.getKey("never-created"),
      404,
      "KeyNotFound",
      /never-created was not found/,
    );
  });

  it.each([
    ["a name with an underscore", () => client.createEcKey("bad_name"), 400],
    [
      "an RSA size Managed HSM does not offer",
      () => client.createRsaKey("rsa-1024", { keySize: 1024 }),
      400,
    ],
    ["an unknown curve", () => client.createKey("ec-bad", "EC", { curve: "P-192" }), 400],
    [
      "an exportable key without a release policy",
      () => client.createRsaKey("exp-key", { exportable: true }),
      400,
    ],
    [
      "sixteen tags",
      () =>
        client.createEcKey("many-tags", {
          tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"])),
        }),
      400,
    ],
  ])("refuses %s", async (_name, attempt, status) => {
    await expectRestError(attempt(), status, "BadParameter");
  });

  it("imports RSA, EC and AES keys from JWKs", async () => {
    const { generateKeyPairSync, randomBytes } = await import("node:crypto");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      format: "jwk",
    });
    const bytes = (s: string | undefined) => Buffer.from(s ?? "", "base64url");
    const imported = await client.importKey(
      "imported-rsa",
      {
        kty: "RSA",
        n: bytes(rsa.n),
        e: bytes(rsa.e),
        d: bytes(rsa.d),
        p: bytes(rsa.p),
        q: bytes(rsa.q),
        dp: bytes(rsa.dp),
        dq: bytes(rsa.dq),
        qi: bytes(rsa.qi),
      },
      { hardwareProtected: true },
    );
    expect(imported.keyType).toBe("RSA-HSM");
    expect(Buffer.from(imported.key!.n!).toString("base64url")).toBe(rsa.n);
    const ec = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({
      format: "jwk",
    });
    expect(
      (
        await client.importKey("imported-ec", {
          kty: "EC",
          crv: "P-384",
          d: bytes(ec.d),
          x: bytes(ec.x),
          y: bytes(ec.y),
        })
      ).key?.crv,
    ).toBe("P-384");
    expect(
      (await client.importKey("imported-oct", { kty: "oct", k: randomBytes(32) })).keyType,
    ).toBe("oct-HSM");
    await expectRestError(
      client.importKey("imported-bad", { kty: "RSA", n: bytes(rsa.n), e: bytes(rsa.e) }),
      400,
      "BadParameter",
      /lacks d, p, q/,
    );
  });
});

describe("listing", () => {
  it("pages keys 25 at most, following nextLink on the same origin", async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        client.createOctKey(`paged-${String(i).padStart(2, "0")}`),
      ),
    );
    const pages: string[][] = [];
    for await (const page of client.listPropertiesOfKeys().byPage({ maxPageSize: 10 }))
      pages.push(page.map((p) => p.name));
    const names = pages.flat();
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.every((page) => page.length <= 10)).toBe(true);
    expect(names.filter((n) => n.startsWith("paged-"))).toHaveLength(30);
    expect(new Set(names).size).toBe(names.length);
    const defaultPages: number[] = [];
    for await (const page of client.listPropertiesOfKeys().byPage()) defaultPages.push(page.length);
    expect(Math.max(...defaultPages)).toBeLessThanOrEqual(25);
  });

  it("lists more than 25 versions of one key across pages", async () => {
    for (let i = 0; i < 27; i += 1) await client.createOctKey("many-versions");
    const versions: string[] = [];
    for await (const version of client.listPropertiesOfKeyVersions("many-versions"))
      versions.push(version.version!);
    expect(new Set(versions).size).toBe(27);
  });
});

describe("updating", () => {
  it("changes only the properties given", async () => {
    const key = await client.createEcKey("updatable", { tags: { env: "dev" } });
    const expiresOn = new Date(Date.now() + 30 * 86_400_000);
    const updated = await client.updateKeyProperties("updatable", key.properties.version!, {
      enabled: false,
      expiresOn,
      tags: { env: "prod" },
      keyOps: ["verify"],
    });
    expect(updated.properties).toMatchObject({ enabled: false, tags: { env: "prod" } });
    expect(updated.properties.expiresOn?.getTime()).toBe(
      Math.floor(expiresOn.getTime() / 1000) * 1000,
    );
    expect(updated.keyOperations).toEqual(["verify"]);
    const again = await client.updateKeyProperties("updatable", { enabled: true });
    expect(again.properties).toMatchObject({ enabled: true, tags: { env: "prod" } });
  });
});

describe("soft delete, recover and purge", () => {
  it("deletes into soft-delete, lists, recovers and purges", async () => {
    await client.createEcKey("to-delete", { tags: { owner: "x" } });
    const deleted = await (await client.beginDeleteKey("to-delete")).pollUntilDone();
    expect(deleted.properties.recoveryId).toBe(`${stack.hsmUrl("keys-weu")}/deletedkeys/to-delete`);
    expect(
      deleted.properties.scheduledPurgeDate!.getTime() - deleted.properties.deletedOn!.getTime(),
    ).toBe(90 * 86_400_000);
    await expectRestError(client.getKey("to-delete"), 404, "KeyNotFound");
    await expectRestError(
      client.createEcKey("to-delete"),
      409,
      "Conflict",
      /deleted but recoverable/,
    );
    const listed: string[] = [];
    for await (const item of client.listDeletedKeys()) listed.push(item.name);
    expect(listed).toContain("to-delete");
    expect((await client.getDeletedKey("to-delete")).properties.tags).toEqual({ owner: "x" });

    const recovered = await (await client.beginRecoverDeletedKey("to-delete")).pollUntilDone();
    expect(recovered.name).toBe("to-delete");
    await (await client.beginDeleteKey("to-delete")).pollUntilDone();
    await client.purgeDeletedKey("to-delete");
    await expectRestError(
      client.getDeletedKey("to-delete"),
      404,
      "KeyNotFound",
      /Deleted Key not found/,
    );
    await client.createEcKey("to-delete");
  });

  it("refuses to purge while purge protection holds, with the HSM's recovery level", async () => {
    const key = await protectedClient.createEcKey("protected");
    expect(key.properties).toMatchObject({
      recoveryLevel: "CustomizedRecoverable",
      recoverableDays: 7,
    });
    await (await protectedClient.beginDeleteKey("protected")).pollUntilDone();
    await expectRestError(
      protectedClient.purgeDeletedKey("protected"),
      403,
      "Forbidden",
      /purge protection/,
    );
  });
});

describe("single-key backup and restore", () => {
  it("restores every version, in this HSM or one with the same security domain only", async () => {
    const first = await client.createRsaKey("backed-up");
    await client.createRsaKey("backed-up");
    const blob = await client.backupKey("backed-up");
    expect(blob!.length).toBeGreaterThan(100);

    const restoredElsewhere = await sameDomainClient.restoreKeyBackup(blob!);
    expect(restoredElsewhere.id).toMatch(
      new RegExp(`^${stack.hsmUrl("keys-neu")}/keys/backed-up/`),
    );
    await expectRestError(
      otherDomainClient.restoreKeyBackup(blob!),
      400,
      "BadParameter",
      /security domain/,
    );
    await expectRestError(client.restoreKeyBackup(blob!), 409, "Conflict");

    await (await client.beginDeleteKey("backed-up")).pollUntilDone();
    await client.purgeDeletedKey("backed-up");
    await client.restoreKeyBackup(blob!);
    const versions: string[] = [];
    for await (const v of client.listPropertiesOfKeyVersions("backed-up"))
      versions.push(v.version!);
    expect(versions).toHaveLength(2);
    expect(versions).toContain(first.properties.version);
  });
});

describe("rotation policies", () => {
  it("stores a valid policy and rotates on demand, with the policy's expiry", async () => {
    await client.createRsaKey("rotating");
    const policy = await client.updateKeyRotationPolicy("rotating", {
      lifetimeActions: [{ action: "Rotate", timeBeforeExpiry: "P30D" }],
      expiresIn: "P90D",
    });
    expect(policy).toMatchObject({
      expiresIn: "P90D",
      lifetimeActions: [{ action: "Rotate", timeBeforeExpiry: "P30D" }],
    });
    expect((await client.getKeyRotationPolicy("rotating")).lifetimeActions).toHaveLength(1);
    const rotated = await client.rotateKey("rotating");
    const expected = stack.emulator.clock.now() + 90 * 86_400_000;
    expect(Math.abs(rotated.properties.expiresOn!.getTime() - expected)).toBeLessThan(5_000);
  });

  it("refuses to rotate a key without a policy", async () => {
    await client.createEcKey("no-policy");
    await expectRestError(client.rotateKey("no-policy"), 400, "BadParameter", /no rotation policy/);
  });

  it.each([
    [
      "rotation more often than every 28 days",
      { lifetimeActions: [{ action: "Rotate" as const, timeAfterCreate: "P7D" }] },
      /at least P28D/,
    ],
    [
      "a Notify action",
      {
        lifetimeActions: [{ action: "Notify" as const, timeBeforeExpiry: "P30D" }],
        expiresIn: "P90D",
      },
      /does not support the Notify/,
    ],
    [
      "an expiry under 28 days",
      { lifetimeActions: [], expiresIn: "P14D" },
      /expiryTime must be at least 28 days/,
    ],
    [
      "a trigger too close to expiry",
      {
        lifetimeActions: [{ action: "Rotate" as const, timeBeforeExpiry: "P40D" }],
        expiresIn: "P60D",
      },
      /at most expiryTime minus 28 days/,
    ],
    [
      "a timeBeforeExpiry without an expiry",
      { lifetimeActions: [{ action: "Rotate" as const, timeBeforeExpiry: "P30D" }] },
      /needs attributes.expiryTime/,
    ],
    [
      "a duration that is not ISO-8601",
      { lifetimeActions: [{ action: "Rotate" as const, timeAfterCreate: "90 days" }] },
      /not an ISO-8601 duration/,
    ],
  ])("refuses %s with Managed HSM's rule", async (_name, policy, message) => {
    await client.createEcKey("policy-target");
    await expectRestError(
      client.updateKeyRotationPolicy("policy-target", policy),
      400,
      "BadParameter",
      message,
    );
  });

  it("clears a policy with empty actions", async () => {
    await client.createEcKey("cleared");
    await client.updateKeyRotationPolicy("cleared", {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }],
    });
    await client.updateKeyRotationPolicy("cleared", { lifetimeActions: [] });
    expect((await client.getKeyRotationPolicy("cleared")).lifetimeActions).toEqual([]);
  });
});

describe("random bytes", () => {
  it("returns the count asked for, 1 to 128", async () => {
    expect(await client.getRandomBytes(32)).toHaveLength(32);
    await expectRestError(client.getRandomBytes(129), 400, "BadParameter");
  });
});
