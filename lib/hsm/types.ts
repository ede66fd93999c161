/*
 * What lib/hsm hands to the rest of the portal: plain data, times as epoch milliseconds, never
 * an SDK object and never key material (public components only, and only on request).
 */

export interface KeyAttributes {
  name: string;
  /** The current (latest) version. */
  version: string;
  enabled: boolean;
  notBefore: number | null;
  expiresOn: number | null;
  createdOn: number;
  updatedOn: number;
  recoveryLevel: string | null;
  exportable: boolean;
  managed: boolean;
  tags: Record<string, string>;
}

export type KeyFamily = "RSA" | "EC" | "oct";

export interface KeyDetail extends KeyAttributes {
  /** As the HSM reports it: RSA-HSM, EC-HSM or oct-HSM. */
  kty: string;
  family: KeyFamily;
  /** RSA modulus bits; null for AES keys, whose size Managed HSM does not return. */
  keySize: number | null;
  curve: string | null;
  keyOps: string[];
}

export interface KeyVersionInfo {
  version: string;
  enabled: boolean;
  notBefore: number | null;
  expiresOn: number | null;
  createdOn: number;
  updatedOn: number;
}

export interface DeletedKeyInfo extends KeyAttributes {
  deletedOn: number | null;
  scheduledPurgeOn: number | null;
  recoveryId: string | null;
}

export interface RotationPolicyInfo {
  /** At most one Rotate action on Managed HSM; Notify exists only in Key Vault. */
  lifetimeActions: {
    action: string;
    timeAfterCreate: string | null;
    timeBeforeExpiry: string | null;
  }[];
  /** ISO 8601 duration a new version lives (sets its expiry), if any. */
  expiresIn: string | null;
  createdOn: number | null;
  updatedOn: number | null;
}

export interface RoleAssignmentInfo {
  /** The assignment's name (a GUID). */
  name: string;
  /** "/", "/keys" or "/keys/{name}". */
  scope: string;
  /** The role definition's GUID. */
  roleDefinitionId: string;
  principalId: string;
}

export interface RoleDefinitionInfo {
  id: string;
  roleName: string;
  roleType: string;
  dataActions: string[];
  notDataActions: string[];
}

export interface PublicKeyInfo {
  /** The public JWK (kty, n/e or crv/x/y); never private members. */
  jwk: Record<string, string>;
  pem: string;
}
