import "server-only";

import type {
  DeletedKey,
  KeyProperties,
  KeyRotationPolicy,
  KeyVaultKey,
} from "@azure/keyvault-keys";

import type {
  DeletedKeyInfo,
  KeyAttributes,
  KeyDetail,
  KeyFamily,
  KeyVersionInfo,
  RotationPolicyInfo,
} from "@/lib/hsm/types";

/* SDK shapes → portal DTOs. Nothing here copies key material. */

const time = (date: Date | undefined): number | null => (date ? date.getTime() : null);

export function keyAttributes(properties: KeyProperties): KeyAttributes {
  return {
    name: properties.name,
    version: properties.version ?? "",
    enabled: properties.enabled ?? true,
    notBefore: time(properties.notBefore),
    expiresOn: time(properties.expiresOn),
    createdOn: time(properties.createdOn) ?? 0,
    updatedOn: time(properties.updatedOn) ?? 0,
    recoveryLevel: properties.recoveryLevel ?? null,
    exportable: properties.exportable ?? false,
    managed: properties.managed ?? false,
    tags: { ...(properties.tags ?? {}) },
  };
}

export function keyVersionInfo(properties: KeyProperties): KeyVersionInfo {
  const { version, enabled, notBefore, expiresOn, createdOn, updatedOn } =
    keyAttributes(properties);
  return { version, enabled, notBefore, expiresOn, createdOn, updatedOn };
}

function familyOf(kty: string): KeyFamily {
  const normalised = kty.toUpperCase().replace(/-HSM$/, "");
  if (normalised === "RSA") return "RSA";
  if (normalised === "EC") return "EC";
  return "oct";
}

export function keyDetail(key: KeyVaultKey): KeyDetail {
  const kty = key.keyType ?? key.key?.kty ?? "oct-HSM";
  const family = familyOf(kty);
  const modulus = key.key?.n;
  return {
    ...keyAttributes(key.properties),
    kty,
    family,
    keySize: family === "RSA" && modulus ? modulus.length * 8 : null,
    curve: family === "EC" ? (key.key?.crv ?? null) : null,
    keyOps: [...(key.keyOperations ?? key.key?.keyOps ?? [])],
  };
}

export function deletedKeyInfo(key: DeletedKey): DeletedKeyInfo {
  const { properties } = key;
  return {
    ...keyAttributes(properties),
    deletedOn: time(properties.deletedOn),
    scheduledPurgeOn: time(properties.scheduledPurgeDate),
    recoveryId: properties.recoveryId ?? null,
  };
}

export function rotationPolicyInfo(policy: KeyRotationPolicy): RotationPolicyInfo | null {
  const lifetimeActions = (policy.lifetimeActions ?? []).map((entry) => ({
    action: entry.action,
    timeAfterCreate: entry.timeAfterCreate ?? null,
    timeBeforeExpiry: entry.timeBeforeExpiry ?? null,
  }));
  if (lifetimeActions.length === 0 && !policy.expiresIn) return null;
  return {
    lifetimeActions,
    expiresIn: policy.expiresIn ?? null,
    createdOn: time(policy.createdOn),
    updatedOn: time(policy.updatedOn),
  };
}
