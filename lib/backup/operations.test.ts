import path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { freePort } from "@keyward/local-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  folderName,
  followOperation,
  startBackup,
  startKeyRestore,
  type HsmOperation,
} from "@/lib/hsm/backup";
import { createHsmHandle } from "@/lib/hsm/handle";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { backupContainer, type BackupContainer } from "@/lib/storage/backup-container";
import { AZURITE_ACCOUNT, startAzurite } from "@/scripts/lib/azurite";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * Backups as the portal runs them, with the real SDKs against the emulator and Azurite: the
 * portal mints the container SAS, the HSM writes the backup and is followed to its end, the
 * folder is the one the service names, one key comes back from it with every version, and the
 * container's folders are listed and deleted. Failures read in words.
 */

const HSM = "backup-weu";
let stack: TestStack;
let azurite: { endpoint: string; stop: () => Promise<void> };
const handle = () =>
  createHsmHandle(
    { name: HSM, region: "West Europe", url: stack.hsmUrl(HSM), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
  );
const access = {
  kind: "account-key",
  accountName: AZURITE_ACCOUNT.name,
  accountKey: AZURITE_ACCOUNT.key,
} as const;
const until = (operation: HsmOperation) =>
  followOperation(handle(), operation, { deadline: Date.now() + 30_000 });

const container = (name: string): BackupContainer =>
  backupContainer(`${azurite.endpoint}/${name}`, access);

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  const tool = stack.principalOf(LOCAL_TOOL_CLIENT_ID);
  for (const role of [BUILT_IN_ROLE_IDS.cryptoUser, BUILT_IN_ROLE_IDS.cryptoOfficer])
    await stack.grant(HSM, tool, role);
  azurite = await startAzurite(await freePort(), path.join(stack.dataDir, "azurite-backups"));
});

afterAll(async () => {
  await azurite?.stop();
  await stack?.close();
});

describe("a full backup and a key restored from it", () => {
  it("writes the folder the service names and brings one key back with every version", async () => {
    const { keys } = handle().background;
    await keys.createEcKey("restored-later", { hsm: true, curve: "P-256" });
    await keys.createEcKey("restored-later", { hsm: true, curve: "P-256" });
    const versionsBefore: string[] = [];
    for await (const version of keys.listPropertiesOfKeyVersions("restored-later"))
      versionsBefore.push(version.version!);
    expect(versionsBefore).toHaveLength(2);

    const backups = container("nightly");
    await new BlobServiceClient(
      azurite.endpoint,
      new StorageSharedKeyCredential(access.accountName, access.accountKey),
    )
      .getContainerClient("nightly")
      .create();
    expect(await backups.problem()).toBeNull();
    const storage = { containerUrl: backups.url, sasToken: await backups.mintSas(Date.now()) };

    const backup = await until(await startBackup(handle(), storage));
    expect(backup).toMatchObject({ status: "Succeeded", error: null });
    expect(backup.folderUrl).toMatch(new RegExp(`^${backups.url}/mhsm-${HSM}-\\d{17}$`));
    const folder = folderName(backup.folderUrl!);
    expect(await backups.folders()).toEqual([folder]);

    await (await keys.beginDeleteKey("restored-later")).pollUntilDone();
    await keys.purgeDeletedKey("restored-later");
    const restore = await until(await startKeyRestore(handle(), storage, folder, "restored-later"));
    expect(restore).toMatchObject({ status: "Succeeded", error: null });
    const versionsAfter: string[] = [];
    for await (const version of keys.listPropertiesOfKeyVersions("restored-later"))
      versionsAfter.push(version.version!);
    expect(versionsAfter.sort()).toEqual(versionsBefore.sort());

    expect(await backups.deleteFolder(folder)).toBeGreaterThan(0);
    expect(await backups.folders()).toEqual([]);
  });
});

describe("what goes wrong, in words", () => {
  it("says when the container does not exist, and the HSM's backup into it fails", async () => {
    const missing = container("no-such-container");
    expect(await missing.problem()).toBe(`The container ${missing.url} does not exist.`);
    const backup = await until(
      await startBackup(handle(), {
        containerUrl: missing.url,
        sasToken: await missing.mintSas(Date.now()),
      }),
    );
    expect(backup.status).toBe("Failed");
    expect(backup.error?.message).toMatch(/does not exist/);
  });

  it("fails a restore from a folder that is not there, saying so", async () => {
    const backups = container("nightly");
    const storage = { containerUrl: backups.url, sasToken: await backups.mintSas(Date.now()) };
    const restore = await until(
      await startKeyRestore(handle(), storage, "mhsm-none-20260101000000000", "k"),
    );
    expect(restore.status).toBe("Failed");
    expect(restore.error?.message).toMatch(/does not exist/);
  });

  it("mints no SAS shorter than the 24 hours Managed HSM needs", async () => {
    const backups = container("nightly");
    await expect(backups.mintSas(Date.now(), 3_600_000)).rejects.toThrow(/at least 24 hours/);
  });
});
