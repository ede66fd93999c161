import "server-only";

import type { TokenSource } from "@/lib/auth/credentials";
import { backupContainer, type ContainerAccess } from "@/lib/storage/backup-container";

import { skipped, type DoctorCheck } from "./report";
import type { DoctorContainer } from "./setup";

/*
 * The storage half of the doctor: each container the portal writes to is there and readable with
 * the access the portal uses, and where the portal signs the HSM's SAS, it can get the user
 * delegation key that signs it. Nothing is written.
 */

const DATA_CONTRIBUTOR_FIX = (url: string) =>
  `Give the portal's service principal Storage Blob Data Contributor on the container: az role assignment create --role "Storage Blob Data Contributor" --assignee-object-id <service principal object id> --assignee-principal-type ServicePrincipal --scope <storage account resource id>/blobServices/default/containers/${url.split("/").at(-1)}`;

const idOf = (target: DoctorContainer) => `storage:${target.purpose.replaceAll(" ", "-")}`;
const titleOf = (target: DoctorContainer) => `Storage for ${target.purpose}`;

async function checkContainer(
  target: DoctorContainer,
  access: ContainerAccess,
): Promise<DoctorCheck> {
  const id = idOf(target);
  const title = titleOf(target);
  const container = backupContainer(target.url, access);
  const problem = await container.problem();
  if (problem && !(target.createdOnFirstUse && /does not exist/.test(problem)))
    return {
      id,
      title,
      status: "fail",
      detail: problem,
      fix: /does not exist/.test(problem)
        ? `Create the container (az storage container create --auth-mode login --name ${target.url.split("/").at(-1)} --account-name <account>), or correct the URL.`
        : /403/.test(problem)
          ? DATA_CONTRIBUTOR_FIX(target.url)
          : "Check the container URL and that this machine reaches the storage account (private endpoint DNS, firewall).",
    };
  if (target.signsSas)
    try {
      await container.mintSas(Date.now());
    } catch (error) {
      return {
        id,
        title,
        status: "fail",
        detail: `The container is there, but the portal cannot sign a SAS for the HSM: ${(error as Error).message}`,
        // A user delegation key is an account-level action: a role on the container cannot grant it.
        fix: `${DATA_CONTRIBUTOR_FIX(target.url)}\naz role assignment create --role "Storage Blob Delegator" --assignee-object-id <service principal object id> --assignee-principal-type ServicePrincipal --scope <storage account resource id>`,
      };
    }
  return {
    id,
    title,
    status: "pass",
    detail: problem
      ? `${target.url} will be created on first use (the storage answers).`
      : `${target.url} is there${target.signsSas ? " and the portal can sign the HSM's SAS" : ""}.`,
  };
}

/** Each container; without `tokens` (no token was had) the ones reached as the portal are skipped. */
export function checkStorage(
  containers: readonly DoctorContainer[],
  tokens: TokenSource | undefined,
): Promise<DoctorCheck[]> {
  return Promise.all(
    containers.map((container) => {
      if (container.access.kind === "account-key")
        return checkContainer(container, container.access);
      if (tokens) return checkContainer(container, { kind: "user-delegation", tokens });
      return Promise.resolve(skipped(idOf(container), titleOf(container), "there is no token"));
    }),
  );
}
