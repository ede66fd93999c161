import "server-only";

import type { StorageParameters } from "@/lib/hsm/admin-client";
import { hsmCall } from "@/lib/hsm/errors";
import { hsmFaultText } from "@/lib/hsm/fault-text";
import type { HsmHandle } from "@/lib/hsm/handle";

/*
 * Full backup, full restore and one key's restore: long-running operations of Managed HSM. Each
 * starts with 202 and a status URL (Azure-AsyncOperation) that is polled, as Retry-After asks,
 * until it succeeds or fails. The folder a backup wrote is what the service says it is
 * (`azureStorageBlobContainerUri`), never a name computed here.
 */

/**
 * Where the HSM reads or writes: a container with a SAS the portal minted for it, or one the
 * HSM reaches as its own user-assigned managed identity.
 */
export type BackupStorage =
  { containerUrl: string; sasToken: string } | { containerUrl: string; useManagedIdentity: true };

const parametersOf = (storage: BackupStorage): StorageParameters =>
  "sasToken" in storage
    ? { storageResourceUri: storage.containerUrl, token: storage.sasToken }
    : { storageResourceUri: storage.containerUrl, useManagedIdentity: true };

export interface HsmOperation {
  jobId: string;
  status: "InProgress" | "Succeeded" | "Failed";
  statusDetails: string | null;
  error: { code: string; message: string } | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** A backup's folder, as the container URL and folder name the service returned. */
  folderUrl: string | null;
  /** Where to poll; kept with the run so that a restarted portal can follow it to its end. */
  statusUrl: string;
  /** How long the HSM asks to wait before the next poll. */
  retryAfterMs: number;
}

interface WireOperation {
  jobId?: string;
  status?: string;
  statusDetails?: string | null;
  error?: { code?: string; message?: string } | null;
  startTime?: number | null;
  endTime?: number | null;
  azureStorageBlobContainerUri?: string | null;
}

const DEFAULT_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

function retryAfterMs(headers: Record<string, string>): number {
  const seconds = Number(headers["retry-after"]);
  return Number.isFinite(seconds) && seconds >= 0
    ? Math.min(seconds * 1000, MAX_RETRY_MS)
    : DEFAULT_RETRY_MS;
}

const seconds = (value: number | null | undefined) =>
  value === null || value === undefined || value === 0 ? null : value * 1000;

function operationOf(
  wire: WireOperation,
  headers: Record<string, string>,
  statusUrl: string,
): HsmOperation {
  const status =
    wire.status === "Succeeded" || wire.status === "Failed" ? wire.status : "InProgress";
  return {
    jobId: wire.jobId ?? "",
    status,
    statusDetails: hsmFaultText(wire.statusDetails) ?? null,
    error: wire.error
      ? {
          code: hsmFaultText(wire.error.code) ?? "Unknown",
          message: hsmFaultText(wire.error.message) ?? "no message fit to show",
        }
      : null,
    startedAt: seconds(wire.startTime),
    finishedAt: seconds(wire.endTime),
    folderUrl: wire.azureStorageBlobContainerUri ?? null,
    statusUrl,
    retryAfterMs: retryAfterMs(headers),
  };
}

async function started(
  handle: HsmHandle,
  what: string,
  start: () => Promise<{ headers: Record<string, string>; body: WireOperation }>,
): Promise<HsmOperation> {
  return hsmCall(handle.name, what, async () => {
    const { headers, body } = await start();
    const statusUrl = headers["azure-asyncoperation"];
    if (!statusUrl) throw new Error("the HSM accepted the operation but gave no status URL");
    return operationOf(body, headers, statusUrl);
  });
}

export function startBackup(handle: HsmHandle, storage: BackupStorage): Promise<HsmOperation> {
  const { admin } = handle.background;
  return started(handle, "start a full backup", () =>
    admin.startFullBackup<WireOperation>(parametersOf(storage)),
  );
}

export function startFullRestore(
  handle: HsmHandle,
  storage: BackupStorage,
  folder: string,
): Promise<HsmOperation> {
  const { admin } = handle.background;
  return started(handle, `start a full restore from ${folder}`, () =>
    admin.startFullRestore<WireOperation>(parametersOf(storage), folder),
  );
}

export function startKeyRestore(
  handle: HsmHandle,
  storage: BackupStorage,
  folder: string,
  key: string,
): Promise<HsmOperation> {
  const { admin } = handle.background;
  return started(handle, `restore key ${key} from ${folder}`, () =>
    admin.startKeyRestore<WireOperation>(key, parametersOf(storage), folder),
  );
}

export function readOperation(handle: HsmHandle, statusUrl: string): Promise<HsmOperation> {
  return hsmCall(handle.name, "read an operation's status", async () => {
    const { headers, body } =
      await handle.background.admin.operationStatus<WireOperation>(statusUrl);
    return operationOf(body, headers, statusUrl);
  });
}

/**
 * Polls an operation until it ends, waiting as each answer's Retry-After asks. `deadline`
 * bounds the wait: past it the last state read is returned, still InProgress, for the caller
 * to record and follow later.
 */
export async function followOperation(
  handle: HsmHandle,
  operation: HsmOperation,
  options: { deadline: number; sleep?: (ms: number) => Promise<void>; now?: () => number },
): Promise<HsmOperation> {
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  let current = operation;
  while (current.status === "InProgress" && now() + current.retryAfterMs <= options.deadline) {
    await sleep(current.retryAfterMs);
    current = await readOperation(handle, current.statusUrl);
  }
  return current;
}

/** A backup folder's name: the last segment of the URL the service returned for it. */
export function folderName(folderUrl: string): string {
  const name = new URL(folderUrl).pathname.split("/").filter(Boolean).at(-1);
  if (!name) throw new Error(`${folderUrl} names no backup folder`);
  return name;
}
