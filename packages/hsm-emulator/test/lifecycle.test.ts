import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import type { KeyClient } from "@azure/keyvault-keys";
import { freePort, rawRequest } from "@keyward/local-https";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createClock } from "../src/clock";
import type { HsmContext } from "../src/context";
import { createKey, MAX_KEYS, MAX_VERSIONS } from "../src/keys/lifecycle";
import { createLogger } from "../src/log";
import { createAccess } from "../src/rbac/access";
import { BUILT_IN_ROLE_IDS } from "../src/rbac/builtin-roles";
import { startEmulator } from "../src/server";
import { openStore } from "../src/store/database";
import { startTestStack, type TestStack } from "../src/testing";

/*
 * What happens over time and under trouble: state survives a restart, the emulator's clock drives
 * automatic rotation and the end of soft-delete retention, injected faults reach clients, and the
 * object limits hold.
 */

const HSM = "life-weu";
const DAY_MS = 86_400_000;
let stack: TestStack;
let client: KeyClient;
const admin = (method: string, path: string, body?: unknown) =>
  stack.request(HSM, stack.toolClientId, method, path, body);

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe", retentionDays: 7 }], {
    persistent: true,
  });
  const tool = stack.principalOf(stack.toolClientId);
  await stack.grant(HSM, tool, BUILT_IN_ROLE_IDS.cryptoUser);
  await stack.grant(HSM, tool, BUILT_IN_ROLE_IDS.cryptoOfficer);
  client = stack.keyClient(HSM);
});

afterAll(() => stack.close());

describe("the clock", () => {
  it("rotates a key automatically when its policy falls due, dating each version when it did", async () => {
    const created = await client.createRsaKey("auto-rotated");
    await client.updateKeyRotationPolicy("auto-rotated", {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }],
      expiresIn: "P90D",
    });
    const advanced = await admin("POST", "/emulator/clock/advance", { duration: "P65D" });
    expect(advanced.status).toBe(200);
    expect(advanced.body).toMatchObject({ rotated: ["auto-rotated", "auto-rotated"] });

    const versions = [];
    for await (const v of client.listPropertiesOfKeyVersions("auto-rotated")) versions.push(v);
    expect(versions).toHaveLength(3);
    const createdOn = versions.map((v) => v.createdOn!.getTime()).sort((a, b) => a - b);
    const day = 86_400_000;
    expect(Math.round((createdOn[1]! - created.properties.createdOn!.getTime()) / day)).toBe(30);
    expect(Math.round((createdOn[2]! - created.properties.createdOn!.getTime()) / day)).toBe(60);
    const latest = await client.getKey("auto-rotated");
    expect(
      Math.round(
        (latest.properties.expiresOn!.getTime() - latest.properties.createdOn!.getTime()) / day,
      ),
    ).toBe(90);
  });

  it("purges a soft-deleted key once its retention ends", async () => {
    await client.createEcKey("short-lived");
    await (await client.beginDeleteKey("short-lived")).pollUntilDone();
    expect(
      (await admin("POST", "/emulator/clock/advance", { seconds: 6 * 86_400 })).body,
    ).toMatchObject({ purged: [] });
    expect(
      (await admin("POST", "/emulator/clock/advance", { seconds: 2 * 86_400 })).body,
    ).toMatchObject({ purged: ["short-lived"] });
    expect((await admin("GET", "/deletedkeys/short-lived")).status).toBe(404);
  });

  it("lets only an administrator move the clock, and only forward", async () => {
    const reporting = "2ce6c976-bc2d-491d-968d-b0994eefa113";
    await stack.grant(HSM, stack.principalOf(reporting), BUILT_IN_ROLE_IDS.cryptoAuditor);
    expect(
      (await stack.request(HSM, reporting, "POST", "/emulator/clock/advance", { seconds: 60 }))
        .status,
    ).toBe(403);
    expect((await admin("POST", "/emulator/clock/advance", { seconds: -60 })).status).toBe(400);
  });
});

describe("fault injection", () => {
  const sign = () =>
    admin("POST", "/keys/auto-rotated/sign", {
      alg: "RS256",
      value: createHash("sha256").update("x").digest("base64url"),
    });

  it("answers 429 per operation class, with or without Retry-After, then recovers", async () => {
    expect(
      (await admin("PUT", "/emulator/faults", { throttle: { crypto: { rate: 1 } } })).status,
    ).toBe(200);
    const throttled = await sign();
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toBeUndefined();
    expect((throttled.body as { error: { code: string } }).error.code).toBe("Throttled");
    expect((await admin("GET", "/keys/auto-rotated")).status).toBe(200);

    await admin("PUT", "/emulator/faults", {
      throttle: { crypto: { rate: 1, retryAfterSeconds: 3 } },
    });
    expect((await sign()).headers["retry-after"]).toBe("3");
    await admin("PUT", "/emulator/faults", {});
    expect((await sign()).status).toBe(200);
  });

  it("answers 503 and adds latency", async () => {
    await admin("PUT", "/emulator/faults", { unavailableRate: 1 });
    expect((await sign()).status).toBe(503);
    await admin("PUT", "/emulator/faults", { latencyMs: 300 });
    const started = performance.now();
    expect((await sign()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await admin("PUT", "/emulator/faults", {});
  });

  it("resets connections without an answer, before or after acting, in the classes named", async () => {
    const create = (name: string) => admin("POST", `/keys/${name}/create`, { kty: "EC-HSM" });
    const audited = async (name: string) =>
      (
        (await admin("GET", "/emulator/audit?limit=5000")).body as {
          value: { operation: string; keyName: string | null; status: number; outcome: string }[];
        }
      ).value.filter((e) => e.keyName === name);
    try {
      await admin("PUT", "/emulator/faults", { resetRate: 1, resetWhen: "before" });
      await expect(create("reset-before")).rejects.toThrow(/socket hang up|ECONNRESET/);
      await admin("PUT", "/emulator/faults", { resetRate: 1, resetWhen: "after" });
      await expect(create("reset-after")).rejects.toThrow(/socket hang up|ECONNRESET/);
      // Only writes: reads are answered, and show what the lost answers did.
      await admin("PUT", "/emulator/faults", {
        resetRate: 1,
        resetWhen: "after",
        resetClasses: ["write"],
      });
      expect((await admin("GET", "/keys/reset-before")).status).toBe(404);
      expect((await admin("GET", "/keys/reset-after")).status).toBe(200);
      expect((await admin("GET", "/emulator/faults")).body).toMatchObject({
        resetRate: 1,
        resetWhen: "after",
        resetClasses: ["write"],
      });
    } finally {
      await admin("PUT", "/emulator/faults", {});
    }
    expect((await create("reset-none")).status).toBe(200);
    expect(await audited("reset-after")).toContainEqual(
      expect.objectContaining({ operation: "KeyCreate", status: 0, outcome: "failed" }),
    );
  });
});

describe("restarting", () => {
  it("keeps keys, versions, role assignments and the material, which still works", async () => {
    const key = await client.createRsaKey("survivor");
    const digest = createHash("sha256").update("before").digest();
    const before = await client.getCryptographyClient("survivor").sign("RS256", digest);
    const config = stack.emulator.contexts.get(HSM)!.config;
    const dataDir = `${stack.dataDir}/emulator`;
    await stack.emulator.close();

    const { tls } = stack;
    stack.emulator = await startEmulator(
      {
        issuer: stack.idp.issuer,
        tenantId: stack.directory.tenant.id,
        dataDir,
        testMode: true,
        hsms: [{ ...config, port: config.port }],
      },
      { tls, caPem: stack.caPem, logLevel: "silent" },
    );
    const reloaded = await client.getKey("survivor");
    expect(reloaded.id).toBe(key.id);
    const after = await client
      .getCryptographyClient("survivor")
      .verify("RS256", digest, before.result);
    expect(after.result).toBe(true);
    const versions = [];
    for await (const v of client.listPropertiesOfKeyVersions("auto-rotated")) versions.push(v);
    expect(versions).toHaveLength(3);
    expect(fs.readFileSync(`${dataDir}/emulator.db`).includes(Buffer.from('"d":"'))).toBe(false);
  });

  it("refuses a store written in another format, and says what to do", async () => {
    const dataDir = fs.mkdtempSync(`${stack.dataDir}/old-store-`);
    const old = new Database(`${dataDir}/emulator.db`);
    old.exec("create table hsm (name text primary key); insert into hsm values ('old');");
    old.close();
    const config = stack.emulator.contexts.get(HSM)!.config;
    await expect(
      startEmulator(
        {
          issuer: stack.idp.issuer,
          tenantId: stack.directory.tenant.id,
          dataDir,
          hsms: [{ ...config, port: await freePort() }],
        },
        { tls: stack.tls, caPem: stack.caPem, logLevel: "silent" },
      ),
    ).rejects.toThrow(/format 0; this emulator reads format 1\. Delete that directory/);
  });

  it("starts its clock in the past, and rotates what falls due on every HSM as it moves", async () => {
    const port = await freePort();
    const tool = stack.principalOf(stack.toolClientId);
    const started = Date.now();
    const past = await startEmulator(
      {
        issuer: stack.idp.issuer,
        tenantId: stack.directory.tenant.id,
        dataDir: null,
        clockStart: new Date(started - 100 * DAY_MS).toISOString(),
        hsms: [{ name: "past-weu", port, region: "West Europe", administrators: [tool] }],
      },
      { tls: stack.tls, caPem: stack.caPem, logLevel: "silent" },
    );
    try {
      const token = (await stack
        .credential(stack.toolClientId)
        .getToken("https://managedhsm.azure.net/.default"))!.token;
      const call = (method: string, path: string, body?: unknown) =>
        rawRequest(`https://localhost:${port}${path}?api-version=7.6`, method, {
          caPem: stack.caPem,
          token,
          body,
        });
      for (const role of [BUILT_IN_ROLE_IDS.cryptoOfficer, BUILT_IN_ROLE_IDS.cryptoUser]) {
        const granted = await call(
          "PUT",
          `/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`,
          {
            properties: {
              roleDefinitionId: `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${role}`,
              principalId: tool,
            },
          },
        );
        expect(granted.status).toBe(201);
      }
      const created = await call("POST", "/keys/historic/create", { kty: "EC-HSM", crv: "P-256" });
      expect(created.status).toBe(200);
      const createdAt = (created.body as { attributes: { created: number } }).attributes.created;
      expect(createdAt * 1000).toBeLessThan(started - 99 * DAY_MS);
      expect(
        (
          await call("PUT", "/keys/historic/rotationpolicy", {
            lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } }],
            attributes: { expiryTime: "P90D" },
          })
        ).status,
      ).toBe(200);

      past.advanceClock(-past.clock.offsetMs());
      const versions = (await call("GET", "/keys/historic/versions")).body as {
        value: { attributes: { created: number } }[];
      };
      const ages = versions.value
        .map((v) => Math.round((started - v.attributes.created * 1000) / DAY_MS))
        .sort((a, b) => b - a);
      expect(ages).toEqual([100, 70, 40, 10]);
    } finally {
      await past.close();
    }
  });

  it("has no clock or fault endpoints outside test mode", async () => {
    const port = await freePort();
    const { tls } = stack;
    const tool = stack.principalOf(stack.toolClientId);
    const production = await startEmulator(
      {
        issuer: stack.idp.issuer,
        tenantId: stack.directory.tenant.id,
        dataDir: null,
        testMode: false,
        hsms: [{ name: "prod-like", port, region: "West Europe", administrators: [tool] }],
      },
      { tls, caPem: stack.caPem, logLevel: "silent" },
    );
    try {
      const token = (await stack
        .credential(stack.toolClientId)
        .getToken("https://managedhsm.azure.net/.default"))!.token;
      const response = await rawRequest(
        `https://localhost:${port}/emulator/clock/advance`,
        "POST",
        { caPem: stack.caPem, token, body: { seconds: 1 } },
      );
      expect(response.status).toBe(404);
    } finally {
      await production.close();
    }
  });
});

describe("limits", () => {
  function context(): HsmContext {
    const { db, masterKey } = openStore(null);
    const config = {
      name: "limits",
      port: 1,
      region: "x",
      retentionDays: 90,
      purgeProtection: false,
      administrators: [],
      faults: {
        latencyMs: 0,
        jitterMs: 0,
        throttle: {},
        unavailableRate: 0,
        resetRate: 0,
        resetWhen: "either" as const,
      },
    };
    return {
      config,
      db,
      masterKey,
      securityDomainKey: masterKey,
      clock: createClock(),
      access: createAccess(db, "limits"),
      log: createLogger("silent"),
      testMode: true,
    };
  }

  it(`refuses version ${MAX_VERSIONS + 1} of a key`, async () => {
    const ctx = context();
    for (let i = 0; i < MAX_VERSIONS; i += 1)
      await createKey(ctx, "busy", "oct-HSM", { keySize: 128 }, {});
    await expect(createKey(ctx, "busy", "oct-HSM", { keySize: 128 }, {})).rejects.toThrow(
      `already has ${MAX_VERSIONS} versions`,
    );
  });

  it(`refuses key ${MAX_KEYS + 1}`, async () => {
    const ctx = context();
    for (let i = 0; i < MAX_KEYS; i += 1)
      await createKey(ctx, `k${i}`, "oct-HSM", { keySize: 128 }, {});
    await expect(createKey(ctx, "one-too-many", "oct-HSM", { keySize: 128 }, {})).rejects.toThrow(
      `already holds ${MAX_KEYS} keys`,
    );
  }, 60_000);
});
