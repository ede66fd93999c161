import "server-only";

import { LOCAL_AUDIT_CONTAINER } from "@/lib/audit/checkpoints";
import { loadAuditKeys } from "@/lib/audit/signing-key";
import { authConfigFrom } from "@/lib/auth/config";
import type { MsalSettings } from "@/lib/auth/msal";
import { graphLocation } from "@/lib/directory/service";
import type { DatabaseConfig, Env } from "@/lib/env";
import { configuredHsms, type ConfiguredHsm } from "@/lib/hsm/targets";
import { AZURITE_DEV_ACCOUNT } from "@/lib/local-azurite";
import type { ContainerAccess } from "@/lib/storage/backup-container";

/*
 * Everything the doctor checks, taken from a validated configuration: the identity provider and
 * the portal's credential, Graph, the HSMs and the blob containers. Tests build one and change a
 * part of it (a wrong secret, another application) to see each failure reported.
 */

export interface DoctorContainer {
  purpose: string;
  url: string;
  /** The account key (Azurite), or the portal's identity (Azure: a user delegation key). */
  access: Extract<ContainerAccess, { kind: "account-key" }> | { kind: "portal-identity" };
  /** Locally the portal creates its containers when it first writes to them. */
  createdOnFirstUse: boolean;
  /** The portal signs each backup's SAS with a user delegation key (KEYWARD_BACKUP_AUTH=sas). */
  signsSas: boolean;
}

export interface DoctorSetup {
  mode: Env["mode"];
  database: DatabaseConfig;
  /** Loads the key that signs the audit checkpoints, as the portal would. */
  auditKeys: () => Promise<{ signer: { kid: string } }>;
  msal: MsalSettings;
  graph: { baseUrl: string; resource: string };
  hsms: ConfiguredHsm[];
  containers: DoctorContainer[];
}

export function doctorSetupFrom(env: Env): DoctorSetup {
  const auth = authConfigFrom(env);
  const local = env.mode === "local";
  const access: DoctorContainer["access"] = local
    ? {
        kind: "account-key",
        accountName: AZURITE_DEV_ACCOUNT.name,
        accountKey: AZURITE_DEV_ACCOUNT.key,
      }
    : { kind: "portal-identity" };
  const containers: DoctorContainer[] = [];
  if (env.backup.containerUrl)
    containers.push({
      purpose: "backups",
      url: env.backup.containerUrl,
      access,
      createdOnFirstUse: local,
      signsSas: !local && env.backup.auth === "sas",
    });
  // With checkpoints off (KEYWARD_AUDIT_CHECKPOINT_MINUTES=0) the container is never written.
  if (env.audit.checkpointMinutes > 0)
    containers.push({
      purpose: "audit checkpoints",
      url: local
        ? `${env.azurite.blobEndpoint}/${LOCAL_AUDIT_CONTAINER}`
        : env.auditAnchor.containerUrl,
      access,
      createdOnFirstUse: local,
      signsSas: false,
    });
  return {
    mode: env.mode,
    database: env.database,
    auditKeys: () => loadAuditKeys(env),
    msal: auth,
    graph: graphLocation(env),
    hsms: configuredHsms(env),
    containers,
  };
}
