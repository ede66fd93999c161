/*
 * The built-in roles as Microsoft documents them (role GUID and name), written out independently
 * of lib/emulator/rbac/builtin-roles.ts so that the conformance tests check it, not echo it.
 */
export const DOCUMENTED_BUILT_IN_ROLES: readonly (readonly [guid: string, roleName: string])[] = [
  ["a290e904-7015-4bba-90c8-60543313cdb4", "Managed HSM Administrator"],
  ["515eb02d-2335-4d2d-92f2-b1cbdf9c3778", "Managed HSM Crypto Officer"],
  ["21dbd100-6940-42c2-9190-5d6cb909625b", "Managed HSM Crypto User"],
  ["4bd23610-cdcf-4971-bdee-bdc562cc28e4", "Managed HSM Policy Administrator"],
  ["2c18b078-7c48-4d3a-af88-5a3a1b3f82b3", "Managed HSM Crypto Auditor"],
  ["33413926-3206-4cdd-b39a-83574fe37a17", "Managed HSM Crypto Service Encryption User"],
  ["21dbd100-6940-42c2-9190-5d6cb909625c", "Managed HSM Crypto Service Release User"],
  ["7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8", "Managed HSM Backup"],
  ["6efe6056-5259-49d2-8b3d-d3d73544b20b", "Managed HSM Restore"],
];
