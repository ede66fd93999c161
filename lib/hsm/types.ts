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
  /** "" when the role has none. */
  description: string;
  dataActions: string[];
  notDataActions: string[];
}

export interface PublicKeyInfo {
  /** The public JWK (kty, n/e or crv/x/y); never private members. */
  jwk: Record<string, string>;
  pem: string;
}

/* What the write operations take. Times are epoch milliseconds; `null` means "no date". */

/** A new key. Managed HSM keys are always HSM-backed: RSA-HSM, EC-HSM or oct-HSM. */
export interface NewKeySpec {
  kty: KeyFamily;
  /** RSA 2048, 3072 or 4096; oct (AES) 128, 192 or 256. */
  size?: number;
  curve?: "P-256" | "P-256K" | "P-384" | "P-521";
  keyOps?: string[];
  enabled?: boolean;
  notBefore?: number | null;
  expiresOn?: number | null;
  tags?: Record<string, string>;
  /** The HSM refuses an exportable key without a release policy, which Keyward does not set. */
  exportable?: boolean;
}

/**
 * A JSON Web Key to import, members base64url as in RFC 7517: the private members (d, p, q,
 * dp, dq, qi for RSA; d for EC; k for oct) are required. lib/hsm never returns or logs them.
 */
export interface ImportedJwk {
  kty: string;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  crv?: string;
  x?: string;
  y?: string;
  k?: string;
  key_ops?: string[];
}

export interface KeyImportOptions {
  enabled?: boolean;
  notBefore?: number | null;
  expiresOn?: number | null;
  tags?: Record<string, string>;
  /** Wins over the JWK's own key_ops. */
  keyOps?: string[];
}

/** A change to the current version's properties; only the members present change. */
export interface KeyUpdate {
  enabled?: boolean;
  /** `null` clears the date. */
  expiresOn?: number | null;
  notBefore?: number | null;
  /** Replaces every tag. */
  tags?: Record<string, string>;
  keyOps?: string[];
}

/** A key's whole rotation policy (it replaces the one before); ISO 8601 durations. */
export interface RotationPolicyChange {
  lifetimeActions: {
    action: "Rotate" | "Notify";
    timeAfterCreate?: string;
    timeBeforeExpiry?: string;
  }[];
  expiresIn?: string | null;
}

export interface HsmSetting {
  name: string;
  /** Always a string on the wire; booleans are "true" or "false". */
  value: string;
  type: string;
}

/** A role assignment to make. `name` is chosen by the caller, so an unknown outcome can be looked up. */
export interface NewRoleAssignment {
  /** "/", "/keys" or "/keys/{name}". */
  scope: string;
  /** The role definition's GUID. */
  roleDefinitionId: string;
  principalId: string;
  /** A GUID. */
  name: string;
}

/** A custom role definition (they exist only at "/"), created or replaced whole. */
export interface CustomRoleDefinition {
  /** A GUID; a built-in role's GUID is refused. */
  name: string;
  roleName: string;
  description: string;
  dataActions: string[];
  notDataActions: string[];
}
