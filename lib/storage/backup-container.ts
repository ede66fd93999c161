import "server-only";

import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type ContainerClient,
} from "@azure/storage-blob";

import type { TokenSource } from "@/lib/auth/credentials";
import { STORAGE_PIPELINE, StorageUnavailableError } from "@/lib/storage/append-only-container";

/*
 * A container that holds Managed HSM backups, as the portal sees it: it mints the SAS each run
 * hands the HSM (create, read, write and delete — what Managed HSM needs — valid at least the
 * 24 hours it requires), checks that the container is there before a run, lists the backup
 * folders and deletes those retention lets go. The SAS is signed with the account's key, or with
 * a user delegation key the portal's identity obtains; it is never logged or stored.
 */

export type ContainerAccess =
  | { kind: "account-key"; accountName: string; accountKey: string }
  | { kind: "user-delegation"; tokens: TokenSource };

export interface BackupContainer {
  readonly url: string;
  /** A SAS for the HSM, valid from a few minutes ago for `validForMs` (at least 24 hours). */
  mintSas(now: number, validForMs?: number): Promise<string>;
  /** Why a backup cannot be written there now (no container, no access), or null. */
  problem(): Promise<string | null>;
  /** The backup folders, by name, in the service's order. */
  folders(): Promise<string[]>;
  /** Deletes every blob of a folder; the number of blobs deleted. */
  deleteFolder(name: string): Promise<number>;
}

export const MIN_SAS_VALIDITY_MS = 24 * 3_600_000;
const CLOCK_SKEW_MS = 5 * 60_000;

function split(containerUrl: string): { accountUrl: string; containerName: string } {
  const url = new URL(containerUrl);
  const parts = url.pathname.split("/").filter(Boolean);
  const containerName = parts.at(-1);
  if (!containerName || url.search !== "")
    throw new Error(`${containerUrl} is not a container URL without a query`);
  const accountPath = parts.slice(0, -1).join("/");
  return {
    accountUrl: `${url.origin}${accountPath ? `/${accountPath}` : ""}`,
    containerName,
  };
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

export function backupContainer(containerUrl: string, access: ContainerAccess): BackupContainer {
  const { accountUrl, containerName } = split(containerUrl);
  const service =
    access.kind === "account-key"
      ? new BlobServiceClient(
          accountUrl,
          new StorageSharedKeyCredential(access.accountName, access.accountKey),
          STORAGE_PIPELINE,
        )
      : new BlobServiceClient(accountUrl, access.tokens, STORAGE_PIPELINE);
  const container: ContainerClient = service.getContainerClient(containerName);
  const failed = (what: string, error: unknown) =>
    new StorageUnavailableError(
      `blob storage at ${container.url} failed to ${what}: ${statusOf(error) ? `HTTP ${statusOf(error)}` : (error as Error).message}`,
      { cause: error },
    );

  return {
    url: container.url,
    async mintSas(now, validForMs = MIN_SAS_VALIDITY_MS) {
      if (validForMs < MIN_SAS_VALIDITY_MS)
        throw new Error("Managed HSM needs a SAS valid for at least 24 hours");
      const startsOn = new Date(now - CLOCK_SKEW_MS);
      const expiresOn = new Date(now + validForMs);
      const permissions = ContainerSASPermissions.from({
        create: true,
        read: true,
        write: true,
        delete: true,
      });
      if (access.kind === "account-key")
        return generateBlobSASQueryParameters(
          { containerName, permissions, startsOn, expiresOn },
          new StorageSharedKeyCredential(access.accountName, access.accountKey),
        ).toString();
      try {
        const key = await service.getUserDelegationKey(startsOn, expiresOn);
        return generateBlobSASQueryParameters(
          { containerName, permissions, startsOn, expiresOn },
          key,
          service.accountName,
        ).toString();
      } catch (error) {
        throw failed("issue a user delegation key", error);
      }
    },
    async problem() {
      try {
        if (await container.exists()) return null;
        return `The container ${container.url} does not exist.`;
      } catch (error) {
        const status = statusOf(error);
        if (status === 403)
          return `The portal may not read the container ${container.url} (HTTP 403).`;
        return `Blob storage at ${container.url} cannot be reached: ${status ? `HTTP ${status}` : (error as Error).message}.`;
      }
    },
    async folders() {
      try {
        const names: string[] = [];
        for await (const item of container.listBlobsByHierarchy("/"))
          if (item.kind === "prefix") names.push(item.name.replace(/\/$/, ""));
        return names;
      } catch (error) {
        throw failed("list the backup folders", error);
      }
    },
    async deleteFolder(name) {
      if (!/^[^/]+$/.test(name)) throw new Error(`${name} is not a folder name`);
      try {
        let deleted = 0;
        for await (const blob of container.listBlobsFlat({ prefix: `${name}/` })) {
          await container.deleteBlob(blob.name, { deleteSnapshots: "include" });
          deleted += 1;
        }
        return deleted;
      } catch (error) {
        throw failed(`delete the backup folder ${name}`, error);
      }
    },
  };
}
