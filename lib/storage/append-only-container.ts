import "server-only";

import {
  ContainerClient,
  RestError,
  StorageSharedKeyCredential,
  type StoragePipelineOptions,
} from "@azure/storage-blob";

import type { TokenSource } from "@/lib/auth/credentials";
import { AZURITE_DEV_ACCOUNT } from "@/lib/local-azurite";

/*
 * The door to blob storage (the Azure SDK stays behind it, as it stays behind lib/hsm): a
 * container the portal only ever adds to. `create` writes with If-None-Match: * so that no blob,
 * once written, is replaced by this code; in Azure an immutability policy on the container and
 * an identity without delete rights make that hold for everyone else too.
 */

export interface AppendOnlyContainer {
  /** The container's URL, for messages (it holds no credential). */
  readonly url: string;
  /** Creates the container when it does not exist (local mode; in Azure it is provisioned). */
  ensureExists(): Promise<void>;
  /** Every blob name under `prefix`, in the service's (lexicographic) order. */
  list(prefix: string): AsyncIterable<string>;
  read(name: string): Promise<Buffer>;
  /** Writes a new blob; "exists" when a blob of that name is already there (left untouched). */
  create(name: string, body: string, contentType: string): Promise<"created" | "exists">;
}

/** Storage could not be reached or refused: the message says where and why, never a secret. */
export class StorageUnavailableError extends Error {
  override name = "StorageUnavailableError";
}

// Few, quick retries: a verification waits on these calls, and a dead endpoint must fail in
// seconds rather than after the SDK's default minute of back-off. Backups use the same.
export const STORAGE_PIPELINE: StoragePipelineOptions = {
  retryOptions: {
    maxTries: 3,
    retryDelayInMs: 200,
    maxRetryDelayInMs: 1_000,
    tryTimeoutInMs: 15_000,
  },
};

function describeFailure(error: unknown): string {
  if (error instanceof RestError) {
    const code = (error.code ?? "").trim();
    if (error.statusCode) return `HTTP ${error.statusCode}${code ? ` ${code}` : ""}`;
    if (code) return code;
  }
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  const own = (error as { code?: string }).code;
  return cause ?? own ?? (error as Error).message;
}

function appendOnly(client: ContainerClient, createIfMissing: boolean): AppendOnlyContainer {
  const url = client.url;
  const failed = (what: string, error: unknown) =>
    new StorageUnavailableError(
      `blob storage at ${url} failed to ${what}: ${describeFailure(error)}`,
      { cause: error },
    );
  let ensured: Promise<void> | undefined;
  return {
    url,
    ensureExists() {
      if (!createIfMissing) return Promise.resolve();
      ensured ??= client.createIfNotExists().then(
        () => undefined,
        (error: unknown) => {
          ensured = undefined;
          throw failed("create the container", error);
        },
      );
      return ensured;
    },
    async *list(prefix) {
      try {
        for await (const blob of client.listBlobsFlat({ prefix })) yield blob.name;
      } catch (error) {
        throw failed("list the blobs", error);
      }
    },
    async read(name) {
      try {
        return await client.getBlobClient(name).downloadToBuffer();
      } catch (error) {
        throw failed(`read ${name}`, error);
      }
    },
    async create(name, body, contentType) {
      try {
        await client.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
          conditions: { ifNoneMatch: "*" },
          blobHTTPHeaders: { blobContentType: contentType },
        });
        return "created";
      } catch (error) {
        if (error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412))
          return "exists";
        throw failed(`write ${name}`, error);
      }
    },
  };
}

/** A container in Azurite under its development account; created on first use. */
export function azuriteContainer(blobEndpoint: string, name: string): AppendOnlyContainer {
  const credential = new StorageSharedKeyCredential(
    AZURITE_DEV_ACCOUNT.name,
    AZURITE_DEV_ACCOUNT.key,
  );
  return appendOnly(
    new ContainerClient(`${blobEndpoint}/${name}`, credential, STORAGE_PIPELINE),
    true,
  );
}

/** An Azure container (https only), reached as the portal's application identity. */
export function azureContainer(containerUrl: string, tokens: TokenSource): AppendOnlyContainer {
  if (new URL(containerUrl).protocol !== "https:")
    throw new Error("an Azure blob container must be reached over https");
  return appendOnly(new ContainerClient(containerUrl, tokens, STORAGE_PIPELINE), false);
}
