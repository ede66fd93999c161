import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";

import { AZURITE_ACCOUNT } from "@/scripts/lib/azurite";

/*
 * Backup targets in Azurite for the conformance tests: a container and the SAS token a backup
 * operator would hand to the HSM.
 */

const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT.name, AZURITE_ACCOUNT.key);

/** A container SAS with the permissions Microsoft's backup guide asks for (crdw) plus list. */
export function containerSas(containerName: string): string {
  return generateBlobSASQueryParameters(
    {
      containerName,
      permissions: ContainerSASPermissions.parse("rcwdl"),
      expiresOn: new Date(Date.now() + 86_400_000),
      protocol: SASProtocol.HttpsAndHttp,
    },
    credential,
  ).toString();
}

export async function createBackupContainer(
  blobEndpoint: string,
  containerName: string,
): Promise<{ url: string; sas: string }> {
  const container = new BlobServiceClient(blobEndpoint, credential).getContainerClient(
    containerName,
  );
  await container.create();
  return { url: container.url, sas: containerSas(containerName) };
}
