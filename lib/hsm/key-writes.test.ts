import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isAppError, type AppError } from "@/lib/errors";
import { isOutcomeUnknown } from "@/lib/hsm/errors";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import {
  createKey,
  deleteKey,
  findDeletedKey,
  findKey,
  purgeKey,
  recoverKey,
  rotateKey,
  setRotationPolicy,
  updateKey,
} from "@/lib/hsm/key-writes";
import { getRotationPolicy } from "@/lib/hsm/keys";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The key writes against the emulator through the real SDK, each read back; the refusals an
 * executor must tell apart (the HSM said no: outcome known) come out as AppErrors naming the HSM.
 */

const HSM = "writes-weu";
const LOCKED = "writes-locked"; // purge protection on
let stack: TestStack;
let hsm: HsmHandle;
let locked: HsmHandle;

const handleOf = (name: string, options?: Parameters<typeof createHsmHandle>[2]) =>
  createHsmHandle(
    { name, region: "West Europe", url: stack.hsmUrl(name), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
    options,
  );

beforeAll(async () => {
  stack = await startTestStack([
    { name: HSM, region: "West Europe" },
    { name: LOCKED, region: "West Europe", purgeProtection: true },
  ]);
  const tool = stack.principalOf(LOCAL_TOOL_CLIENT_ID);
  for (const name of [HSM, LOCKED])
    for (const role of [BUILT_IN_ROLE_IDS.cryptoUser, BUILT_IN_ROLE_IDS.cryptoOfficer])
      await stack.grant(name, tool, role);
  hsm = handleOf(HSM);
  locked = handleOf(LOCKED);
});

afterAll(async () => {
  await stack?.close();
});

/** The AppError a call fails with. */
async function failureOf(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const SECOND = 1_000;
const DAY = 86_400 * SECOND;
const wholeSeconds = (ms: number) => Math.floor(ms / SECOND) * SECOND;

describe("createKey", () => {
  it("creates HSM-backed RSA, EC and AES keys that read back as created", async () => {
    const expiresOn = wholeSeconds(Date.now() + 400 * DAY);
    const notBefore = wholeSeconds(Date.now() - DAY);
    const rsa = await createKey(hsm, "create-rsa", {
      kty: "RSA",
      size: 3072,
      keyOps: ["sign", "verify"],
      notBefore,
      expiresOn,
      tags: { owner: "payments" },
    });
    expect(rsa).toMatchObject({
      name: "create-rsa",
      kty: "RSA-HSM",
      family: "RSA",
      keySize: 3072,
      keyOps: ["sign", "verify"],
      enabled: true,
      notBefore,
      expiresOn,
      tags: { owner: "payments" },
    });
    expect(await findKey(hsm, "create-rsa", "interactive")).toEqual(rsa);

    const ec = await createKey(hsm, "create-ec", { kty: "EC", curve: "P-384", enabled: false });
    expect(ec).toMatchObject({ kty: "EC-HSM", curve: "P-384", enabled: false, expiresOn: null });
    expect(await findKey(hsm, "create-ec", "background")).toEqual(ec);

    const aes = await createKey(hsm, "create-aes", { kty: "oct", size: 256 });
    expect(aes).toMatchObject({ kty: "oct-HSM", family: "oct", keySize: null, curve: null });
    expect(await findKey(hsm, "create-aes", "interactive")).toEqual(aes);
  });

  it("passes the HSM's refusal of an invalid key on as an AppError naming the HSM", async () => {
    const failure = await failureOf(createKey(hsm, "create-bad", { kty: "RSA", size: 1024 }));
    expect(failure.code).toBe("bad_request");
    expect(failure.message).toMatch(/^HSM writes-weu could not create key create-bad: .*1024/);
    expect(isOutcomeUnknown(failure)).toBe(false);
    expect(await findKey(hsm, "create-bad", "interactive")).toBeNull();
  });

  it("is refused for an exportable key, which needs a release policy Keyward does not set", async () => {
    const failure = await failureOf(
      createKey(hsm, "create-exportable", { kty: "RSA", size: 2048, exportable: true }),
    );
    expect(failure.code).toBe("bad_request");
    expect(failure.message).toContain("release policy");
  });
});

describe("findKey and findDeletedKey", () => {
  it("answer null for a key that never existed", async () => {
    expect(await findKey(hsm, "never-was", "interactive")).toBeNull();
    expect(await findDeletedKey(hsm, "never-was", "interactive")).toBeNull();
  });
});

describe("updateKey", () => {
  it("changes tags, enabled, dates and operations of the current version, and null clears a date", async () => {
    const created = await createKey(hsm, "update-me", { kty: "EC", curve: "P-256" });
    const expiresOn = wholeSeconds(Date.now() + 90 * DAY);
    const notBefore = wholeSeconds(Date.now() - 60 * SECOND);
    const updated = await updateKey(hsm, "update-me", {
      enabled: false,
      tags: { env: "prod", team: "keys" },
      expiresOn,
      notBefore,
      keyOps: ["verify"],
    });
    expect(updated).toMatchObject({
      version: created.version,
      enabled: false,
      tags: { env: "prod", team: "keys" },
      expiresOn,
      notBefore,
      keyOps: ["verify"],
    });
    expect(await findKey(hsm, "update-me", "interactive")).toEqual(updated);

    // Members left out stay; null clears a date.
    const cleared = await updateKey(hsm, "update-me", { expiresOn: null, notBefore: null });
    expect(cleared).toMatchObject({
      enabled: false,
      tags: { env: "prod", team: "keys" },
      expiresOn: null,
      notBefore: null,
    });
    expect(await findKey(hsm, "update-me", "interactive")).toEqual(cleared);
  });

  it("fails as not found for a key that does not exist", async () => {
    const failure = await failureOf(updateKey(hsm, "update-nobody", { enabled: true }));
    expect(failure.code).toBe("not_found");
    expect(failure.message).toMatch(/^HSM writes-weu: /);
  });
});

describe("rotation", () => {
  it("sets a policy that reads back, rotates to a new version with the policy's expiry, and clears it", async () => {
    await createKey(hsm, "rotate-me", { kty: "RSA", size: 2048, tags: { a: "b" } });
    expect(await getRotationPolicy(hsm, "rotate-me", "interactive")).toBeNull();
    const refused = await failureOf(rotateKey(hsm, "rotate-me"));
    expect(refused.code).toBe("bad_request");
    expect(refused.message).toContain("rotation policy");

    const set = await setRotationPolicy(hsm, "rotate-me", {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
      expiresIn: "P180D",
    });
    expect(set).toMatchObject({
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null }],
      expiresIn: "P180D",
    });
    expect(await getRotationPolicy(hsm, "rotate-me", "interactive")).toEqual(set);

    const before = await findKey(hsm, "rotate-me", "interactive");
    const rotated = await rotateKey(hsm, "rotate-me");
    expect(rotated.version).not.toBe(before?.version);
    expect(rotated).toMatchObject({ kty: "RSA-HSM", keySize: 2048, tags: { a: "b" } });
    expect(rotated.expiresOn! - rotated.createdOn).toBe(180 * DAY);
    expect(await findKey(hsm, "rotate-me", "interactive")).toEqual(rotated);

    expect(await setRotationPolicy(hsm, "rotate-me", { lifetimeActions: [] })).toBeNull();
    expect(await getRotationPolicy(hsm, "rotate-me", "interactive")).toBeNull();
  });

  it("passes on Managed HSM's refusal of Notify and of a rotation sooner than 28 days", async () => {
    await createKey(hsm, "rotate-rules", { kty: "EC", curve: "P-256" });
    const notify = await failureOf(
      setRotationPolicy(hsm, "rotate-rules", {
        lifetimeActions: [{ action: "Notify", timeBeforeExpiry: "P30D" }],
        expiresIn: "P90D",
      }),
    );
    expect(notify.code).toBe("bad_request");
    const soon = await failureOf(
      setRotationPolicy(hsm, "rotate-rules", {
        lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P7D" }],
      }),
    );
    expect(soon.code).toBe("bad_request");
    expect(soon.message).toMatch(
      /^HSM writes-weu could not set the rotation policy of rotate-rules/,
    );
  });
});

describe("delete, recover and purge", () => {
  it("soft-deletes, recovers, then deletes and purges for good", async () => {
    const created = await createKey(hsm, "lifecycle", { kty: "oct", size: 128, tags: { x: "1" } });
    const deleted = await deleteKey(hsm, "lifecycle");
    expect(deleted).toMatchObject({
      name: "lifecycle",
      version: created.version,
      tags: { x: "1" },
    });
    expect(deleted.recoveryId).toMatch(/\/deletedkeys\/lifecycle$/);
    expect(deleted.scheduledPurgeOn! - deleted.deletedOn!).toBe(90 * DAY);
    expect(await findKey(hsm, "lifecycle", "interactive")).toBeNull();
    expect(await findDeletedKey(hsm, "lifecycle", "interactive")).toMatchObject({
      ...deleted,
      kty: "oct-HSM",
    });

    const recovered = await recoverKey(hsm, "lifecycle");
    expect(recovered).toEqual({ ...created, updatedOn: recovered.updatedOn });
    expect(await findKey(hsm, "lifecycle", "interactive")).toEqual(recovered);
    expect(await findDeletedKey(hsm, "lifecycle", "interactive")).toBeNull();

    await deleteKey(hsm, "lifecycle");
    await purgeKey(hsm, "lifecycle");
    expect(await findKey(hsm, "lifecycle", "interactive")).toBeNull();
    expect(await findDeletedKey(hsm, "lifecycle", "interactive")).toBeNull();
  });

  it("refuses to reuse the name of a soft-deleted key, to delete it twice, and to purge a live key", async () => {
    await createKey(hsm, "reuse", { kty: "EC", curve: "P-256" });
    await deleteKey(hsm, "reuse");
    const reuse = await failureOf(createKey(hsm, "reuse", { kty: "EC", curve: "P-256" }));
    expect(reuse.code).toBe("conflict");
    expect(isOutcomeUnknown(reuse)).toBe(false);
    expect((await failureOf(deleteKey(hsm, "reuse"))).code).toBe("not_found");
    const recovered = await recoverKey(hsm, "reuse");
    // A second recover finds the key live and returns it: a retry is harmless.
    expect(await recoverKey(hsm, "reuse")).toEqual(recovered);
    const purge = await failureOf(purgeKey(hsm, "reuse"));
    expect(purge.code).toBe("not_found");
  });

  it("is refused to purge under purge protection, clearly", async () => {
    await createKey(locked, "protected", { kty: "EC", curve: "P-256" });
    await deleteKey(locked, "protected");
    const failure = await failureOf(purgeKey(locked, "protected"));
    expect(failure.code).toBe("forbidden");
    expect(failure.message).toMatch(/^HSM writes-locked refused to purge key protected/);
    expect(isOutcomeUnknown(failure)).toBe(false);
    expect(await findDeletedKey(locked, "protected", "interactive")).not.toBeNull();
  });

  it("says the outcome is unknown when the HSM deleted the key but reading it back failed", async () => {
    await createKey(hsm, "read-back", { kty: "EC", curve: "P-256" });
    const impatient = handleOf(HSM, { backgroundRetries: { maxRetries: 0, maxTotalWaitMs: 0 } });
    await stack.request(HSM, LOCAL_TOOL_CLIENT_ID, "PUT", "/emulator/faults", {
      throttle: { read: { rate: 1 } },
    });
    let failure: AppError;
    try {
      failure = await failureOf(deleteKey(impatient, "read-back"));
    } finally {
      await stack.request(HSM, LOCAL_TOOL_CLIENT_ID, "PUT", "/emulator/faults", {});
    }
    expect(failure.message).toBe(
      `HSM ${HSM} accepted the request to delete key read-back, but reading the result failed: HSM ${HSM} is throttling requests; try again shortly.`,
    );
    expect(isOutcomeUnknown(failure)).toBe(true);
    expect(await findDeletedKey(hsm, "read-back", "interactive")).not.toBeNull();
  });
});
