import { ACTIONS as A } from "./data-actions";

/*
 * The nine built-in role definitions of Managed HSM, with their exact GUIDs. Data actions are
 * the union of Microsoft's documentation and a 2021 recording of the live service, except the
 * Crypto Auditor's documented `keys/deletedKeys/delete`, which the recording shows as
 * `keys/deletedKeys/read/action` (a read-only auditor that can purge is a documentation error).
 */

export interface RoleDefinitionProperties {
  roleName: string;
  description: string;
  type: "AKVBuiltInRole" | "CustomRole";
  permissions: {
    actions: string[];
    notActions: string[];
    dataActions: string[];
    notDataActions: string[];
  }[];
  assignableScopes: string[];
}

export interface RoleDefinition {
  name: string;
  properties: RoleDefinitionProperties;
}

function builtIn(name: string, roleName: string, dataActions: string[]): RoleDefinition {
  return {
    name,
    properties: {
      roleName,
      description: "",
      type: "AKVBuiltInRole",
      permissions: [{ actions: [], notActions: [], dataActions, notDataActions: [] }],
      assignableScopes: ["/"],
    },
  };
}

const RBAC_ALL = [
  A.roleAssignmentsRead,
  A.roleAssignmentsWrite,
  A.roleAssignmentsDelete,
  A.roleDefinitionsRead,
  A.roleDefinitionsWrite,
  A.roleDefinitionsDelete,
];

export const BUILT_IN_ROLE_IDS = {
  administrator: "a290e904-7015-4bba-90c8-60543313cdb4",
  cryptoOfficer: "515eb02d-2335-4d2d-92f2-b1cbdf9c3778",
  cryptoUser: "21dbd100-6940-42c2-9190-5d6cb909625b",
  policyAdministrator: "4bd23610-cdcf-4971-bdee-bdc562cc28e4",
  cryptoAuditor: "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3",
  serviceEncryptionUser: "33413926-3206-4cdd-b39a-83574fe37a17",
  serviceReleaseUser: "21dbd100-6940-42c2-9190-5d6cb909625c",
  backup: "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8",
  restore: "6efe6056-5259-49d2-8b3d-d3d73544b20b",
} as const;

const ids = BUILT_IN_ROLE_IDS;

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  builtIn(ids.administrator, "Managed HSM Administrator", [
    A.securityDomainDownload,
    A.securityDomainDownloadRead,
    A.securityDomainUpload,
    A.securityDomainUploadRead,
    A.securityDomainTransferKey,
    ...RBAC_ALL,
    A.backupStart,
    A.backupStatus,
    A.restoreStart,
    A.restoreStatus,
  ]),
  builtIn(ids.cryptoOfficer, "Managed HSM Crypto Officer", [
    A.deletedKeysRead,
    A.deletedKeysRecover,
    A.deletedKeysPurge,
    A.keysExport,
    ...RBAC_ALL,
  ]),
  builtIn(ids.cryptoUser, "Managed HSM Crypto User", [
    A.keysRead,
    A.keysWrite,
    A.keysRotate,
    A.keysCreate,
    A.keysDelete,
    A.keysBackup,
    A.keysRestore,
    A.keysRelease,
    A.keysImport,
    A.keysEncrypt,
    A.keysDecrypt,
    A.keysWrap,
    A.keysUnwrap,
    A.keysSign,
    A.keysVerify,
    A.rng,
    A.roleAssignmentsRead,
    A.roleDefinitionsRead,
  ]),
  builtIn(ids.policyAdministrator, "Managed HSM Policy Administrator", RBAC_ALL),
  builtIn(ids.cryptoAuditor, "Managed HSM Crypto Auditor", [
    A.keysRead,
    A.deletedKeysRead,
    A.roleAssignmentsRead,
    A.roleDefinitionsRead,
  ]),
  builtIn(ids.serviceEncryptionUser, "Managed HSM Crypto Service Encryption User", [
    A.keysRead,
    A.keysWrap,
    A.keysUnwrap,
  ]),
  builtIn(ids.serviceReleaseUser, "Managed HSM Crypto Service Release User", [A.keysRelease]),
  builtIn(ids.backup, "Managed HSM Backup", [A.keysBackup, A.backupStart, A.backupStatus]),
  builtIn(ids.restore, "Managed HSM Restore", [A.keysRestore, A.restoreStart, A.restoreStatus]),
];

export const ROLE_DEFINITION_ID_PREFIX =
  "Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/";

export function roleDefinitionId(name: string): string {
  return `${ROLE_DEFINITION_ID_PREFIX}${name}`;
}

export function isBuiltInRole(name: string): boolean {
  return BUILT_IN_ROLES.some((r) => r.name.toLowerCase() === name.toLowerCase());
}
