import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { freePort, waitForPort } from "@keyward/local-https";

/*
 * Azurite's blob service as a backup target, in a child process on a free port, with containers
 * and the SAS a backup operator hands the HSM (Microsoft's backup guide: crdw; plus list).
 */

/** Azurite's documented development account; not a secret. */
const account = new StorageSharedKeyCredential(
  "devstoreaccount1",
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
);

export function containerSas(containerName: string): string {
  return generateBlobSASQueryParameters(
    {
      containerName,
      permissions: ContainerSASPermissions.parse("rcwdl"),
      expiresOn: new Date(Date.now() + 86_400_000),
    },
    account,
  ).toString();
}

export async function startBlobService(location: string) {
  const port = await freePort();
  const blobMain = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
  const child = spawn(
    process.execPath,
    [
      blobMain,
      ...["--blobHost", "127.0.0.1", "--blobPort", String(port), "--location", location],
      // The SDK may speak a newer storage API version than this Azurite knows; the calls it makes are old.
      ...["--skipApiVersionCheck", "--disableTelemetry", "--silent"],
    ],
    { stdio: "ignore" },
  );
  await waitForPort(port, 30_000, () => child.exitCode === null);
  const endpoint = `http://127.0.0.1:${port}/${account.accountName}`;
  const service = new BlobServiceClient(endpoint, account);
  return {
    endpoint,
    /** A new container and its SAS. */
    createContainer: async (name: string) => {
      const container = service.getContainerClient(name);
      await container.create();
      return { url: container.url, sas: containerSas(name) };
    },
    containerClient: (name: string) => service.getContainerClient(name),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
