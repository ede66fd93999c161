import { z } from "zod";

import type { HsmContext } from "../context";
import { badParameter, conflict } from "../errors";
import { seal, unseal } from "../seal";
import * as store from "../store/keys";
import { liveKey, materialOf, MAX_KEYS } from "./lifecycle";

/*
 * Single-key backup: every version of a key, its rotation policy and its material, sealed with
 * the HSM's security-domain key. Only an HSM holding the same security domain can restore it.
 */

const versionSchema = z.object({
  version: z.string(),
  kty: z.string(),
  key_ops: z.string(),
  created: z.number(),
  updated: z.number(),
  enabled: z.number(),
  nbf: z.number().nullable(),
  exp: z.number().nullable(),
  exportable: z.number(),
  tags: z.string(),
  release_policy: z.string().nullable(),
  public_jwk: z.string(),
  material: z.string(),
});

export const keyBackupSchema = z.object({
  format: z.literal("keyward-emulator-key-backup/1"),
  name: z.string(),
  rotationPolicy: z.string().nullable(),
  versions: z.array(versionSchema).min(1),
});

export type KeyBackup = z.infer<typeof keyBackupSchema>;

/** The key in portable form: material in the clear, to be sealed by the caller. */
export function exportKey(ctx: HsmContext, name: string): KeyBackup {
  const key = store.findKey(ctx.db, ctx.config.name, name)!;
  return {
    format: "keyward-emulator-key-backup/1",
    name: key.name,
    rotationPolicy: key.rotation_policy,
    versions: store.allVersions(ctx.db, ctx.config.name, name).map((row) => ({
      version: row.version,
      kty: row.kty,
      key_ops: row.key_ops,
      created: row.created,
      updated: row.updated,
      enabled: row.enabled,
      nbf: row.nbf,
      exp: row.exp,
      exportable: row.exportable,
      tags: row.tags,
      release_policy: row.release_policy,
      public_jwk: row.public_jwk,
      material: JSON.stringify(materialOf(ctx, row)),
    })),
  };
}

/** Writes a key from its portable form, re-sealing the material under this instance's master key. */
export function importBackup(ctx: HsmContext, backup: KeyBackup): void {
  const hsm = ctx.config.name;
  ctx.db.transaction(() => {
    const existing = store.findKey(ctx.db, hsm, backup.name);
    if (existing?.deleted_date != null)
      throw conflict(
        `Key ${existing.name} is soft-deleted; recover or purge it before restoring it.`,
      );
    if (existing) throw conflict(`Key ${existing.name} already exists.`);
    if (store.countKeys(ctx.db, hsm) >= MAX_KEYS)
      throw badParameter(`This HSM already holds ${MAX_KEYS} keys, the maximum.`);
    store.insertKey(ctx.db, hsm, backup.name);
    store.setRotationPolicy(ctx.db, hsm, backup.name, backup.rotationPolicy);
    for (const version of backup.versions)
      store.insertVersion(ctx.db, {
        ...version,
        hsm,
        name_lower: backup.name.toLowerCase(),
        material: seal(version.material, ctx.masterKey, "key-material"),
      });
  })();
}

export function backupKey(ctx: HsmContext, name: string): string {
  liveKey(ctx, name);
  return Buffer.from(
    seal(JSON.stringify(exportKey(ctx, name)), ctx.securityDomainKey, "key-backup"),
  ).toString("base64url");
}

export function restoreKey(ctx: HsmContext, blob: Buffer): string {
  const opened = unseal(blob.toString("utf8"), ctx.securityDomainKey, "key-backup");
  if (!opened)
    throw badParameter(
      "The key backup cannot be restored: it is corrupt or was made by an HSM with another security domain.",
    );
  const backup = keyBackupSchema.parse(JSON.parse(opened));
  importBackup(ctx, backup);
  return backup.name;
}
