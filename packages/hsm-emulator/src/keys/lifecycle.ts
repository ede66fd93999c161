import { randomBytes } from "node:crypto";
import type { z } from "zod";

import type { HsmContext } from "../context";
import {
  generateMaterial,
  generateMaterialAsync,
  importMaterial,
  publicJwk,
  storedKty,
  type PrivateJwk,
  type StoredKty,
} from "../crypto/material";
import { badParameter, conflict, deletedKeyNotFound, forbidden, keyNotFound } from "../errors";
import { seal, unseal } from "../seal";
import * as store from "../store/keys";
import { expiryForNewVersion, type RotationPolicy } from "./rotation-policy";
import type { attributesInput, releasePolicyInput } from "./schemas";

/*
 * The life of a key: create, import, read, update, soft delete, recover, purge and rotate, with
 * Managed HSM's rules and limits (5,000 keys, 100 versions per key, names 1–127 characters).
 */

export const MAX_KEYS = 5000;
export const MAX_VERSIONS = 100;
const KEY_NAME = /^[0-9a-zA-Z-]{1,127}$/;

const DEFAULT_KEY_OPS: Record<StoredKty, string[]> = {
  "RSA-HSM": ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
  "EC-HSM": ["sign", "verify"],
  "oct-HSM": ["wrapKey", "unwrapKey", "decrypt", "encrypt"],
};

type Attributes = z.infer<typeof attributesInput>;
type ReleasePolicy = z.infer<typeof releasePolicyInput>;

export interface VersionOptions {
  keyOps?: string[];
  attributes?: Attributes;
  tags?: Record<string, string>;
  releasePolicy?: ReleasePolicy;
}

export function checkKeyName(name: string): void {
  if (!KEY_NAME.test(name))
    throw badParameter(
      `The key name "${name}" is invalid: use 1–127 characters from 0-9, a-z, A-Z and "-".`,
    );
}

const openedMaterial = new Map<string, PrivateJwk>();

/** The private key of a version, unsealed with the master key (cached by its sealed form). */
export function materialOf(ctx: HsmContext, row: store.VersionRow): PrivateJwk {
  let material = openedMaterial.get(row.material);
  if (!material) {
    const opened = unseal(row.material, ctx.masterKey, "key-material");
    if (!opened)
      throw new Error(`key material of ${row.name_lower}/${row.version} cannot be unsealed`);
    material = JSON.parse(opened) as PrivateJwk;
    if (openedMaterial.size > 10_000) openedMaterial.clear();
    openedMaterial.set(row.material, material);
  }
  return material;
}

export function liveKey(ctx: HsmContext, name: string): store.KeyRow {
  const key = store.findKey(ctx.db, ctx.config.name, name);
  if (!key || key.deleted_date !== null) throw keyNotFound(name);
  return key;
}

export function deletedKey(ctx: HsmContext, name: string): store.KeyRow {
  const key = store.findKey(ctx.db, ctx.config.name, name);
  if (!key || key.deleted_date === null) throw deletedKeyNotFound(name);
  return key;
}

/** The requested version of a live key; the latest when `version` is empty. */
export function resolveVersion(
  ctx: HsmContext,
  name: string,
  version?: string,
): { key: store.KeyRow; row: store.VersionRow } {
  const key = liveKey(ctx, name);
  const row = version
    ? store.findVersion(ctx.db, ctx.config.name, name, version)
    : store.latestVersion(ctx.db, ctx.config.name, name);
  if (!row) throw keyNotFound(version ? `${name}/${version}` : name);
  return { key, row };
}

function checkKeyOps(kty: StoredKty, keyOps: string[]): void {
  if (keyOps.includes("import") && (kty !== "RSA-HSM" || keyOps.length !== 1))
    throw badParameter(
      'The "import" operation is only for RSA key-exchange keys and cannot be combined with others.',
    );
}

function checkRelease(exportable: boolean, releasePolicy: ReleasePolicy | undefined | null): void {
  if (exportable && !releasePolicy) throw badParameter("An exportable key needs a release policy.");
  if (!exportable && releasePolicy)
    throw badParameter("A release policy can only be set on an exportable key.");
}

function newVersion(
  ctx: HsmContext,
  name: string,
  kty: StoredKty,
  material: PrivateJwk,
  options: VersionOptions,
  exp?: number | null,
  createdAt?: number,
) {
  const now = createdAt ?? ctx.clock.nowSeconds();
  const keyOps = options.keyOps ?? DEFAULT_KEY_OPS[kty];
  checkKeyOps(kty, keyOps);
  const exportable = options.attributes?.exportable ?? false;
  checkRelease(exportable, options.releasePolicy);
  return {
    hsm: ctx.config.name,
    name_lower: name.toLowerCase(),
    version: randomBytes(16).toString("hex"),
    kty,
    key_ops: JSON.stringify(keyOps),
    created: now,
    updated: now,
    enabled: options.attributes?.enabled === false ? 0 : 1,
    nbf: options.attributes?.nbf ?? null,
    exp:
      exp !== undefined && options.attributes?.exp == null
        ? exp
        : (options.attributes?.exp ?? null),
    exportable: exportable ? 1 : 0,
    tags: JSON.stringify(options.tags ?? {}),
    release_policy: options.releasePolicy ? JSON.stringify(options.releasePolicy) : null,
    public_jwk: JSON.stringify(publicJwk(material)),
    material: seal(JSON.stringify(material), ctx.masterKey, "key-material"),
  };
}

/** Adds a version (creating the key if it is new) and returns it. */
function addVersion(
  ctx: HsmContext,
  name: string,
  version: ReturnType<typeof newVersion>,
): store.VersionRow {
  const hsm = ctx.config.name;
  return ctx.db.transaction(() => {
    const existing = store.findKey(ctx.db, hsm, name);
    if (existing?.deleted_date != null)
      throw conflict(
        `Key ${existing.name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.`,
      );
    if (!existing) {
      if (store.countKeys(ctx.db, hsm) >= MAX_KEYS)
        throw badParameter(`This HSM already holds ${MAX_KEYS} keys, the maximum.`);
      store.insertKey(ctx.db, hsm, name);
    } else if (store.countVersions(ctx.db, hsm, name) >= MAX_VERSIONS) {
      throw badParameter(`Key ${name} already has ${MAX_VERSIONS} versions, the maximum.`);
    }
    store.insertVersion(ctx.db, version);
    return store.findVersion(ctx.db, hsm, name, version.version)!;
  })();
}

export async function createKey(
  ctx: HsmContext,
  name: string,
  ktyText: string,
  params: { keySize?: number; publicExponent?: number; crv?: string },
  options: VersionOptions,
) {
  checkKeyName(name);
  const kty = storedKty(ktyText);
  const material = await generateMaterialAsync(kty, params);
  return addVersion(ctx, name, newVersion(ctx, name, kty, material, options));
}

export function importKey(
  ctx: HsmContext,
  name: string,
  jwk: Record<string, unknown>,
  options: VersionOptions,
) {
  checkKeyName(name);
  const { kty, material } = importMaterial(jwk);
  return addVersion(ctx, name, newVersion(ctx, name, kty, material, options));
}

export function updateKey(
  ctx: HsmContext,
  name: string,
  version: string | undefined,
  changes: VersionOptions,
): store.VersionRow {
  const { row } = resolveVersion(ctx, name, version);
  const current = row.release_policy ? (JSON.parse(row.release_policy) as ReleasePolicy) : null;
  if (changes.releasePolicy && current?.immutable)
    throw forbidden("The release policy of this key is immutable.");
  const exportable = changes.attributes?.exportable ?? row.exportable === 1;
  const releasePolicy = changes.releasePolicy ?? current;
  checkRelease(exportable, releasePolicy);
  const keyOps = changes.keyOps ?? (JSON.parse(row.key_ops) as string[]);
  checkKeyOps(row.kty as StoredKty, keyOps);
  const attributes = changes.attributes ?? {};
  const updated: store.VersionRow = {
    ...row,
    key_ops: JSON.stringify(keyOps),
    updated: ctx.clock.nowSeconds(),
    enabled: attributes.enabled === undefined ? row.enabled : attributes.enabled ? 1 : 0,
    nbf: attributes.nbf === undefined ? row.nbf : attributes.nbf,
    exp: attributes.exp === undefined ? row.exp : attributes.exp,
    exportable: exportable ? 1 : 0,
    tags: changes.tags ? JSON.stringify(changes.tags) : row.tags,
    release_policy: releasePolicy ? JSON.stringify(releasePolicy) : null,
  };
  store.updateVersion(ctx.db, updated);
  return updated;
}

export function deleteKey(ctx: HsmContext, name: string) {
  const key = liveKey(ctx, name);
  const now = ctx.clock.nowSeconds();
  const purgeDate = now + ctx.config.retentionDays * 86_400;
  store.setDeleted(ctx.db, ctx.config.name, name, now, purgeDate);
  return {
    key: { ...key, deleted_date: now, scheduled_purge_date: purgeDate },
    row: store.latestVersion(ctx.db, ctx.config.name, name)!,
  };
}

export function recoverKey(
  ctx: HsmContext,
  name: string,
): { key: store.KeyRow; row: store.VersionRow } {
  const key = deletedKey(ctx, name);
  store.setDeleted(ctx.db, ctx.config.name, name, null, null);
  return { key, row: store.latestVersion(ctx.db, ctx.config.name, name)! };
}

export function purgeKey(ctx: HsmContext, name: string): void {
  const key = deletedKey(ctx, name);
  if (ctx.config.purgeProtection && (key.scheduled_purge_date ?? 0) > ctx.clock.nowSeconds())
    throw forbidden(
      `Operation "purge" is not allowed because purge protection is enabled for this HSM. Key ${key.name} will be purged on its scheduled purge date.`,
    );
  store.deleteKeyCompletely(ctx.db, ctx.config.name, name);
}

/** Purges soft-deleted keys whose retention has ended; returns their names. */
export function purgeExpiredKeys(ctx: HsmContext): string[] {
  const due = store.keysDueForPurge(ctx.db, ctx.config.name, ctx.clock.nowSeconds());
  for (const key of due) store.deleteKeyCompletely(ctx.db, ctx.config.name, key.name);
  return due.map((key) => key.name);
}

export function rotationPolicyOf(key: store.KeyRow): RotationPolicy | null {
  return key.rotation_policy ? (JSON.parse(key.rotation_policy) as RotationPolicy) : null;
}

/**
 * A new version with fresh material of the same type, size and curve, and the policy's expiry.
 * Automatic rotation passes the time the policy made it due, so history reads as it would have.
 */
export function rotateKey(
  ctx: HsmContext,
  name: string,
  requirePolicy: boolean,
  at?: number,
): store.VersionRow {
  const key = liveKey(ctx, name);
  const policy = rotationPolicyOf(key);
  if (requirePolicy && !policy)
    throw badParameter(`Key ${key.name} has no rotation policy; set one before rotating it.`);
  const latest = store.latestVersion(ctx.db, ctx.config.name, name)!;
  const kty = latest.kty as StoredKty;
  const current = materialOf(ctx, latest);
  const material = generateMaterial(kty, {
    keySize:
      kty === "RSA-HSM"
        ? Buffer.from(current.n!, "base64url").length * 8
        : kty === "oct-HSM"
          ? Buffer.from(current.k!, "base64url").length * 8
          : undefined,
    crv: current.crv,
  });
  const options: VersionOptions = {
    keyOps: JSON.parse(latest.key_ops) as string[],
    tags: JSON.parse(latest.tags) as Record<string, string>,
    attributes: { exportable: latest.exportable === 1 },
    ...(latest.release_policy
      ? { releasePolicy: JSON.parse(latest.release_policy) as ReleasePolicy }
      : {}),
  };
  const createdAt = at ?? ctx.clock.nowSeconds();
  return addVersion(
    ctx,
    key.name,
    newVersion(
      ctx,
      key.name,
      kty,
      material,
      options,
      expiryForNewVersion(policy, createdAt),
      createdAt,
    ),
  );
}
