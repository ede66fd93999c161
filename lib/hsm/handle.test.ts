import path from "node:path";
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { freePort } from "@keyward/local-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isAppError } from "@/lib/errors";
import { newCallStats, withCallStats } from "@/lib/hsm/call-stats";
import { createHsmHandle } from "@/lib/hsm/handle";
import { getKeyDetail } from "@/lib/hsm/keys";
import { listKeyAssignments, listRoleDefinitions } from "@/lib/hsm/role-assignments";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { AZURITE_ACCOUNT, startAzurite } from "@/scripts/lib/azurite";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The portal's HSM clients against the emulator: many concurrent first requests of fresh clients
 * all arrive with their bodies (a guard; the race of @azure/keyvault-common 2.1.0 that the gate
 * prevents is timing-dependent, so the gate's ordering is tested in policies.test.ts), a page's
 * call gives up quickly and clearly when the HSM throttles, and the admin client's operations.
 */

const HSM = "handle-weu";
type Operation = { status: string; azureStorageBlobContainerUri?: string };
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

/** A container in Azurite and the SAS (crdw + list, a day) a backup operator hands the HSM. */
async function createBackupContainer(blobEndpoint: string, containerName: string) {
  const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT.name, AZURITE_ACCOUNT.key);
  const container = new BlobServiceClient(blobEndpoint, credential).getContainerClient(
    containerName,
  );
  await container.create();
  const sas = generateBlobSASQueryParameters(
    {
      containerName,
      permissions: ContainerSASPermissions.parse("rcwdl"),
      expiresOn: new Date(Date.now() + 86_400_000),
    },
    credential,
  ).toString();
  return { url: container.url, sas };
}

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

  it("assigns a role at a key's scope, which then lists there", async () => {
    const principal = "5d1e0c9a-7b3f-4e28-9a61-c4f0b2d8e7a5";
    const created = await handle().interactive.admin.createRoleAssignment(
      "/keys/race-0-1",
      BUILT_IN_ROLE_IDS.serviceEncryptionUser,
      principal,
    );
    expect(created.status).toBe(201);
    expect(await listKeyAssignments(handle(), "RACE-0-1", "interactive")).toEqual([
      expect.objectContaining({
        scope: "/keys/race-0-1",
        roleDefinitionId: BUILT_IN_ROLE_IDS.serviceEncryptionUser,
        principalId: principal,
      }),
    ]);
  });

  it("backs up the HSM into blob storage and restores it, following each operation to its end", async () => {
    const azurite = await startAzurite(await freePort(), path.join(stack.dataDir, "azurite-admin"));
    try {
      const container = await createBackupContainer(azurite.endpoint, "admin-client");
      const { admin } = handle().background;
      const untilDone = async (started: {
        status: number;
        headers: Record<string, string>;
        body: Operation;
      }) => {
        expect(started.status).toBe(202);
        let operation = started.body;
        for (let poll = 0; poll < 50 && operation.status === "InProgress"; poll += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          operation = (
            await admin.operationStatus<Operation>(started.headers["azure-asyncoperation"]!)
          ).body;
        }
        return operation;
      };
      const backup = await untilDone(
        await admin.startFullBackup<Operation>({
          storageResourceUri: container.url,
          token: container.sas,
        }),
      );
      expect(backup).toMatchObject({
        status: "Succeeded",
        azureStorageBlobContainerUri: expect.stringMatching(
          /\/admin-client\/mhsm-handle-weu-\d{17}$/,
        ) as unknown,
      });
      const folder = backup.azureStorageBlobContainerUri!.split("/").at(-1)!;
      await handle()
        .background.keys.beginDeleteKey("race-0-2")
        .then((poller) => poller.pollUntilDone());
      await handle().background.keys.purgeDeletedKey("race-0-2");
      const restore = await untilDone(
        await admin.startFullRestore<Operation>(
          { storageResourceUri: container.url, token: container.sas },
          folder,
        ),
      );
      expect(restore).toMatchObject({ status: "Succeeded" });
      expect((await handle().background.keys.getKey("race-0-2")).name).toBe("race-0-2");
    } finally {
      await azurite.stop();
    }
  });
});
