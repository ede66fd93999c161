import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createBackupContainer } from "@/lib/emulator/conformance/blob-container";
import { BUILT_IN_ROLE_IDS } from "@/lib/emulator/rbac/builtin-roles";
import { isAppError } from "@/lib/errors";
import { newCallStats, withCallStats } from "@/lib/hsm/call-stats";
import { createHsmHandle } from "@/lib/hsm/handle";
import { getKeyDetail } from "@/lib/hsm/keys";
import { listRoleDefinitions } from "@/lib/hsm/role-assignments";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { freePort } from "@/lib/net/ports";
import { startAzurite } from "@/scripts/lib/azurite";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The portal's HSM clients against the emulator: concurrent first requests keep their bodies
 * (the challenge race of @azure/keyvault-common 2.1.0), and a page's call gives up quickly and
 * clearly when the HSM throttles, having retried without a Retry-After.
 */

const HSM = "handle-weu";
let stack: TestStack;
const handle = () =>
  createHsmHandle(
    { name: HSM, region: "West Europe", url: stack.hsmUrl(HSM), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
  );

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  const tool = stack.principalOf(LOCAL_TOOL_CLIENT_ID);
  for (const role of [BUILT_IN_ROLE_IDS.cryptoUser, BUILT_IN_ROLE_IDS.cryptoOfficer])
    await stack.grant(HSM, tool, role);
});

afterAll(async () => {
  await stack?.close();
});

describe("a fresh HSM client", () => {
  it("sends every one of many concurrent first requests with its body", async () => {
    for (let round = 0; round < 3; round += 1) {
      const { keys } = handle().background;
      const curves = ["P-256", "P-384", "P-521", "P-256K"] as const;
      const created = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          keys.createEcKey(`race-${round}-${i}`, {
            hsm: true,
            curve: curves[i % 4],
            tags: { n: String(i) },
          }),
        ),
      );
      created.forEach((key, i) => {
        expect(key.key?.crv).toBe(curves[i % 4]);
        expect(key.properties.tags).toEqual({ n: String(i) });
      });
    }
  });
});

describe("throttling", () => {
  it("retries a page's read twice without Retry-After, then says the HSM is throttling", async () => {
    await stack.request(HSM, LOCAL_TOOL_CLIENT_ID, "PUT", "/emulator/faults", {
      throttle: { read: { rate: 1 } },
    });
    try {
      const stats = newCallStats();
      const started = Date.now();
      const failure = await withCallStats(stats, () =>
        getKeyDetail(handle(), "race-0-0", "interactive"),
      ).catch((error: unknown) => error);
      expect(isAppError(failure) && failure.code).toBe("rate_limited");
      expect((failure as Error).message).toBe(
        `HSM ${HSM} is throttling requests; try again shortly.`,
      );
      expect(stats).toMatchObject({ throttled: 3, retries: 2, failures: 1 });
      // 1 s and 2 s, each within ±25 %.
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_200);
    } finally {
      await stack.request(HSM, LOCAL_TOOL_CLIENT_ID, "PUT", "/emulator/faults", {});
    }
  });
});

describe("the admin client", () => {
  it("reads settings and role definitions", async () => {
    const { admin } = handle().interactive;
    const settings = await admin.getSettings<{ settings: { name: string; value: string }[] }>();
    expect(settings.body.settings).toContainEqual(
      expect.objectContaining({ name: "AllowKeyManagementOperationsThroughARM", value: "false" }),
    );
    const definitions = await listRoleDefinitions(handle(), "interactive");
    expect(definitions.find((d) => d.id === BUILT_IN_ROLE_IDS.cryptoAuditor)).toMatchObject({
      roleName: "Managed HSM Crypto Auditor",
      roleType: "AKVBuiltInRole",
    });
  });

  it("starts a full backup into blob storage and follows it to the end", async () => {
    const azurite = await startAzurite(await freePort(), path.join(stack.dataDir, "azurite-admin"));
    try {
      const container = await createBackupContainer(azurite.endpoint, "admin-client");
      const { admin } = handle().background;
      const started = await admin.startFullBackup<{ status: string }>(container.url, container.sas);
      expect(started.status).toBe(202);
      const statusUrl = started.headers["azure-asyncoperation"]!;
      let operation = started.body;
      for (let poll = 0; poll < 50 && operation.status === "InProgress"; poll += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        operation = (await admin.operationStatus<{ status: string }>(statusUrl)).body;
      }
      expect(operation).toMatchObject({
        status: "Succeeded",
        azureStorageBlobContainerUri: expect.stringMatching(
          /\/admin-client\/mhsm-handle-weu-\d{17}$/,
        ) as unknown,
      });
    } finally {
      await azurite.stop();
    }
  });
});
