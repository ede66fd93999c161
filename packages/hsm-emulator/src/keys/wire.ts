import type { HsmConfig } from "../config";
import type { KeyRow, VersionRow } from "../store/keys";

/* The wire shapes of keys: KeyBundle, KeyItem, DeletedKeyBundle, DeletedKeyItem. */

export function recoveryLevel(config: HsmConfig): string {
  const customized = config.retentionDays < 90 ? "CustomizedRecoverable" : "Recoverable";
  return config.purgeProtection ? customized : `${customized}+Purgeable`;
}

export function attributes(row: VersionRow, config: HsmConfig) {
  return {
    enabled: row.enabled === 1,
    ...(row.nbf !== null ? { nbf: row.nbf } : {}),
    ...(row.exp !== null ? { exp: row.exp } : {}),
    created: row.created,
    updated: row.updated,
    recoveryLevel: recoveryLevel(config),
    recoverableDays: config.retentionDays,
    exportable: row.exportable === 1,
  };
}

function tags(row: VersionRow): Record<string, string> | undefined {
  const parsed = JSON.parse(row.tags) as Record<string, string>;
  return Object.keys(parsed).length > 0 ? parsed : undefined;
}

export function keyId(origin: string, name: string, version?: string): string {
  return `${origin}/keys/${name}${version ? `/${version}` : ""}`;
}

export function keyBundle(origin: string, name: string, row: VersionRow, config: HsmConfig) {
  const releasePolicy = row.release_policy
    ? (JSON.parse(row.release_policy) as Record<string, unknown>)
    : undefined;
  return {
    key: {
      kid: keyId(origin, name, row.version),
      kty: row.kty,
      key_ops: JSON.parse(row.key_ops) as string[],
      ...(JSON.parse(row.public_jwk) as Record<string, string>),
    },
    attributes: attributes(row, config),
    ...(tags(row) ? { tags: tags(row) } : {}),
    ...(releasePolicy ? { release_policy: releasePolicy } : {}),
  };
}

/** A list entry: `kid` without a version in /keys lists, with one in /versions lists. */
export function keyItem(
  origin: string,
  name: string,
  row: VersionRow,
  config: HsmConfig,
  withVersion: boolean,
) {
  return {
    kid: keyId(origin, name, withVersion ? row.version : undefined),
    attributes: attributes(row, config),
    ...(tags(row) ? { tags: tags(row) } : {}),
  };
}

function deletion(
  origin: string,
  key: Pick<KeyRow, "name" | "deleted_date" | "scheduled_purge_date">,
) {
  return {
    recoveryId: `${origin}/deletedkeys/${key.name}`,
    deletedDate: key.deleted_date ?? undefined,
    scheduledPurgeDate: key.scheduled_purge_date ?? undefined,
  };
}

export function deletedKeyBundle(
  origin: string,
  key: Pick<KeyRow, "name" | "deleted_date" | "scheduled_purge_date">,
  row: VersionRow,
  config: HsmConfig,
) {
  return { ...keyBundle(origin, key.name, row, config), ...deletion(origin, key) };
}

export function deletedKeyItem(
  origin: string,
  key: Pick<KeyRow, "name" | "deleted_date" | "scheduled_purge_date">,
  row: VersionRow,
  config: HsmConfig,
) {
  return { ...keyItem(origin, key.name, row, config, false), ...deletion(origin, key) };
}
