import path from "node:path";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import type { AuditActor } from "@/lib/audit/types";
import { mirrorRefresher, type BackupDeps, type BackupTarget } from "@/lib/backup/deps";
import type { Db } from "@/lib/db/client";
import { availableDialects, type Dialect } from "@/lib/db/testing/databases";
import { AppError } from "@/lib/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import { grantPortalRoles, REQUESTER } from "@/lib/requests/testing/fixture";
import { azuriteContainer } from "@/lib/storage/append-only-container";
import { backupContainer, type ContainerAccess } from "@/lib/storage/backup-container";
import { AZURITE_ACCOUNT, startAzuriteOnFreePort } from "@/scripts/lib/azurite";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * What the backup integration tests share: the emulator's test stack with one HSM per database
 * dialect, the portal's identity granted the roles a backup and a restore need, Azurite with the
 * containers the file writes to, and the BackupDeps the portal builds on one HSM and container.
 */

/** The person the tests' manual runs and requests name. */
export const KIM: AuditActor = { type: "user", id: REQUESTER.id, name: REQUESTER.name };

/** How the portal signs its SAS for Azurite: the development account's key. */
export const BACKUP_ACCESS = {
  kind: "account-key",
  accountName: AZURITE_ACCOUNT.name,
  accountKey: AZURITE_ACCOUNT.key,
} as const satisfies ContainerAccess;

/** A backup and a restore need key reads and writes HSM-wide. */
const ROLES = [BUILT_IN_ROLES.cryptoUser, BUILT_IN_ROLES.cryptoOfficer];

export interface BackupStack {
  stack: TestStack;
  /** Azurite's blob endpoint (its development account). */
  blobEndpoint: string;
  close: () => Promise<void>;
}

/**
 * The stack of one test file: each dialect's HSM named `${prefix}-${dialect}`, on which the
 * portal's identity (the tool client) is Crypto User and Crypto Officer, and in Azurite the
 * containers `containers` names for each dialect. `testMode` opens the emulator's fault and
 * clock endpoints.
 */
export async function startBackupStack(
  prefix: string,
  containers: (dialect: Dialect) => string[],
  options: { testMode?: boolean } = {},
): Promise<BackupStack> {
  const dialects = availableDialects();
  const stack = await startTestStack(
    dialects.map((d) => ({ name: `${prefix}-${d}`, region: "West Europe" })),
    options,
  );
  let azurite: Awaited<ReturnType<typeof startAzuriteOnFreePort>> | undefined;
  try {
    for (const d of dialects) await grantPortalRoles(stack, `${prefix}-${d}`, ROLES);
    azurite = await startAzuriteOnFreePort(path.join(stack.dataDir, `azurite-${prefix}`));
    for (const d of dialects)
      for (const name of containers(d))
        await azuriteContainer(azurite.endpoint, name).ensureExists();
  } catch (error) {
    await azurite?.stop();
    await stack.close();
    throw error;
  }
  const started = azurite;
  return {
    stack,
    blobEndpoint: started.endpoint,
    close: async () => {
      await started.stop();
      await stack.close();
    },
  };
}

/**
 * BackupDeps as the portal builds them for one HSM and one container: another HSM's name is a
 * 404 in words, as the portal's own lookup answers it.
 */
export function backupDepsOn(
  db: Db,
  handle: HsmHandle,
  containerUrl: string,
  auth: BackupTarget["auth"] = "sas",
): BackupDeps {
  return {
    db,
    handleOf: (name) => {
      if (name !== handle.name) throw new AppError("not_found", `There is no HSM named ${name}.`);
      return handle;
    },
    targetOf: () => ({ container: backupContainer(containerUrl, BACKUP_ACCESS), auth }),
    refreshMirror: mirrorRefresher(db, { concurrency: 8 }),
  };
}

/** A key's version ids as the HSM lists them, read with the SDK, sorted. */
export async function versionsOf(handle: HsmHandle, name: string): Promise<string[]> {
  const versions: string[] = [];
  for await (const v of handle.background.keys.listPropertiesOfKeyVersions(name))
    versions.push(v.version!);
  return versions.sort();
}

/** What the HSM holds, read with the SDK: key name → version ids. */
export async function heldByHsm(handle: HsmHandle): Promise<Record<string, string[]>> {
  const held: Record<string, string[]> = {};
  for await (const key of handle.background.keys.listPropertiesOfKeys())
    held[key.name] = await versionsOf(handle, key.name);
  return held;
}
