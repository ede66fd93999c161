/** Managed HSM data actions (the 7.6 DataAction vocabulary, plus keys/rotate/action from the docs). */
const PREFIX = "Microsoft.KeyVault/managedHsm/";

export const ACTIONS = {
  keysRead: `${PREFIX}keys/read/action`,
  keysWrite: `${PREFIX}keys/write/action`,
  keysCreate: `${PREFIX}keys/create`,
  keysDelete: `${PREFIX}keys/delete`,
  keysImport: `${PREFIX}keys/import/action`,
  keysRotate: `${PREFIX}keys/rotate/action`,
  keysBackup: `${PREFIX}keys/backup/action`,
  keysRestore: `${PREFIX}keys/restore/action`,
  keysRelease: `${PREFIX}keys/release/action`,
  keysExport: `${PREFIX}keys/export/action`,
  keysEncrypt: `${PREFIX}keys/encrypt/action`,
  keysDecrypt: `${PREFIX}keys/decrypt/action`,
  keysWrap: `${PREFIX}keys/wrap/action`,
  keysUnwrap: `${PREFIX}keys/unwrap/action`,
  keysSign: `${PREFIX}keys/sign/action`,
  keysVerify: `${PREFIX}keys/verify/action`,
  deletedKeysRead: `${PREFIX}keys/deletedKeys/read/action`,
  deletedKeysRecover: `${PREFIX}keys/deletedKeys/recover/action`,
  deletedKeysPurge: `${PREFIX}keys/deletedKeys/delete`,
  rng: `${PREFIX}rng/action`,
  roleAssignmentsRead: `${PREFIX}roleAssignments/read/action`,
  roleAssignmentsWrite: `${PREFIX}roleAssignments/write/action`,
  roleAssignmentsDelete: `${PREFIX}roleAssignments/delete/action`,
  roleDefinitionsRead: `${PREFIX}roleDefinitions/read/action`,
  roleDefinitionsWrite: `${PREFIX}roleDefinitions/write/action`,
  roleDefinitionsDelete: `${PREFIX}roleDefinitions/delete/action`,
  backupStart: `${PREFIX}backup/start/action`,
  backupStatus: `${PREFIX}backup/status/action`,
  restoreStart: `${PREFIX}restore/start/action`,
  restoreStatus: `${PREFIX}restore/status/action`,
  securityDomainDownload: `${PREFIX}securitydomain/download/action`,
  securityDomainDownloadRead: `${PREFIX}securitydomain/download/read`,
  securityDomainUpload: `${PREFIX}securitydomain/upload/action`,
  securityDomainUploadRead: `${PREFIX}securitydomain/upload/read`,
  securityDomainTransferKey: `${PREFIX}securitydomain/transferkey/read`,
} as const;

export type DataAction = (typeof ACTIONS)[keyof typeof ACTIONS];

export const ALL_DATA_ACTIONS: readonly string[] = Object.values(ACTIONS);
