import "server-only";

import { sql } from "kysely";
import pLimit from "p-limit";
import { z } from "zod";

import {
  catalogueAttributesSchema,
  catalogueKeys,
  catalogueVersionSchema,
  customRoleSchema,
  roleAssignmentSchema,
  tagsSchema,
  type Catalogue,
  type CatalogueKey,
  type CatalogueVersion,
} from "@/lib/backup/catalogue";
import type { Db } from "@/lib/db/client";
import type { InventoryKeyTable } from "@/lib/db/schema/inventory/table";
import { isAppError } from "@/lib/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import { listKeyVersions } from "@/lib/hsm/keys";

/*
 * The catalogue in the database: read from the mirror (refreshed by the caller once the backup
 * has ended) and written with the run's outcome; asked "which backups hold key X". The mirror
 * keeps a key's current version and its version count, not the list of versions, so the versions
 * are read from the HSM here, right after the refresh.
 */

const INSERT_CHUNK = 500;
const stringArray = z.array(z.string());

function attributesOf(row: InventoryKeyTable): Omit<CatalogueKey, "versions"> {
  return {
    name: row.name,
    tags: tagsSchema.parse(JSON.parse(row.tags)),
    attributes: catalogueAttributesSchema.parse({
      currentVersion: row.version,
      kty: row.kty,
      family: row.family,
      keySize: row.key_size,
      curve: row.curve,
      keyOps: stringArray.parse(JSON.parse(row.key_ops)),
      enabled: row.enabled === 1,
      exportable: row.exportable === 1,
      managed: row.managed === 1,
      notBefore: row.not_before,
      expiresOn: row.expires_at,
      createdOn: row.created_at,
      updatedOn: row.updated_at,
      recoveryLevel: row.recovery_level,
      rotationPolicy: row.policy === null ? null : (JSON.parse(row.policy) as unknown),
    }),
  };
}

/**
 * What the backup holds, from the refreshed mirror and the HSM's version lists. `endedAt`: when
 * the HSM says the backup ended (versions created later are left out).
 */
export async function readCatalogue(
  db: Db,
  handle: HsmHandle,
  options: { endedAt: number | null; versionReads: number },
): Promise<Catalogue> {
  const hsm = handle.name;
  const [keyRows, assignments, roles] = await Promise.all([
    db
      .selectFrom("inventory_key")
      .selectAll()
      .where("hsm", "=", hsm)
      .where("deleted_at", "is", null)
      .orderBy("name_lower")
      .execute(),
    db.selectFrom("inventory_role_assignment").selectAll().where("hsm", "=", hsm).execute(),
    db
      .selectFrom("inventory_role_definition")
      .selectAll()
      .where("hsm", "=", hsm)
      .where("role_type", "=", "CustomRole")
      .execute(),
  ]);
  const limit = pLimit(Math.max(1, options.versionReads));
  const versions = new Map<string, CatalogueVersion[]>();
  await Promise.all(
    keyRows.map((row) =>
      limit(async () => {
        try {
          const listed = await listKeyVersions(handle, row.name, "background");
          versions.set(
            row.name_lower,
            listed.map(({ version, createdOn, enabled, expiresOn }) => ({
              version,
              createdOn,
              enabled,
              expiresOn,
            })),
          );
        } catch (error) {
          // Deleted since the refresh: it was live then; its current version is what is known.
          if (!isAppError(error) || error.code !== "not_found") throw error;
          versions.set(row.name_lower, [
            {
              version: row.version,
              createdOn: row.created_at,
              enabled: row.enabled === 1,
              expiresOn: row.expires_at,
            },
          ]);
        }
      }),
    ),
  );
  return {
    keys: catalogueKeys(
      keyRows.map(attributesOf),
      (nameLower) => versions.get(nameLower) ?? [],
      options.endedAt,
    ),
    access: {
      roleAssignments: assignments.map((a) =>
        roleAssignmentSchema.parse({
          name: a.name,
          scope: a.scope,
          roleDefinitionId: a.role_definition_id,
          principalId: a.principal_id,
        }),
      ),
      customRoles: roles.map((r) =>
        customRoleSchema.parse({
          id: r.id,
          roleName: r.role_name,
          dataActions: stringArray.parse(JSON.parse(r.data_actions)),
          notDataActions: stringArray.parse(JSON.parse(r.not_data_actions)),
        }),
      ),
    },
  };
}

/** Writes a run's catalogue, in the caller's transaction (with the run's outcome). */
export async function writeCatalogue(
  trx: Db,
  runId: string,
  hsm: string,
  catalogue: Catalogue,
): Promise<void> {
  for (let i = 0; i < catalogue.keys.length; i += INSERT_CHUNK)
    await trx
      .insertInto("backup_catalogue_key")
      .values(
        catalogue.keys.slice(i, i + INSERT_CHUNK).map((key) => ({
          run_id: runId,
          hsm,
          name_lower: key.name.toLowerCase(),
          name: key.name,
          versions: JSON.stringify(key.versions),
          attributes: JSON.stringify(key.attributes),
          tags: JSON.stringify(key.tags),
        })),
      )
      .execute();
  await trx
    .insertInto("backup_catalogue_access")
    .values({
      run_id: runId,
      role_assignments: JSON.stringify(catalogue.access.roleAssignments),
      custom_roles: JSON.stringify(catalogue.access.customRoles),
    })
    .execute();
}

/** Drops a run's catalogue once its folder is gone: it describes nothing that can be restored. */
export async function deleteCatalogue(trx: Db, runId: string): Promise<void> {
  await trx.deleteFrom("backup_catalogue_key").where("run_id", "=", runId).execute();
  await trx.deleteFrom("backup_catalogue_access").where("run_id", "=", runId).execute();
}

export interface BackupHoldingKey {
  runId: string;
  finishedAt: number;
  folderUrl: string;
  versions: CatalogueVersion[];
}

const versionsSchema = z.array(catalogueVersionSchema);

/** The good backups, folders still present, that hold a key (any case), newest first. */
export async function backupsHoldingKey(
  db: Db,
  hsm: string,
  name: string,
): Promise<BackupHoldingKey[]> {
  const rows = await db
    .selectFrom("backup_catalogue_key as k")
    .innerJoin("backup_run as r", "r.id", "k.run_id")
    .select(["r.id", "r.finished_at", "r.folder_url", "k.versions"])
    .where("k.hsm", "=", hsm)
    .where("k.name_lower", "=", name.toLowerCase())
    .where("r.state", "=", "succeeded")
    .where("r.folder_deleted_at", "is", null)
    .orderBy("r.finished_at", "desc")
    .execute();
  return rows.map((row) => ({
    runId: row.id,
    finishedAt: row.finished_at!,
    folderUrl: row.folder_url!,
    versions: versionsSchema.parse(JSON.parse(row.versions)),
  }));
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A run's catalogue: its keys by name (only those whose name contains `keyFilter`, in any case,
 * when given) and the access it recorded; null when the run has no catalogue.
 */
export async function catalogueOf(
  db: Db,
  runId: string,
  keyFilter?: string,
): Promise<Catalogue | null> {
  const access = await db
    .selectFrom("backup_catalogue_access")
    .selectAll()
    .where("run_id", "=", runId)
    .executeTakeFirst();
  if (!access) return null;
  const filter = keyFilter?.trim().toLowerCase();
  const rows = await db
    .selectFrom("backup_catalogue_key")
    .selectAll()
    .where("run_id", "=", runId)
    .$if(Boolean(filter), (q) =>
      // SQLite's LIKE has no escape character unless told; PostgreSQL's is the backslash.
      q.where(sql<boolean>`name_lower like ${`%${escapeLike(filter!)}%`} escape ${"\\"}`),
    )
    .orderBy("name_lower")
    .execute();
  return {
    keys: rows.map((row) => ({
      name: row.name,
      versions: versionsSchema.parse(JSON.parse(row.versions)),
      attributes: catalogueAttributesSchema.parse(JSON.parse(row.attributes)),
      tags: tagsSchema.parse(JSON.parse(row.tags)),
    })),
    access: {
      roleAssignments: z.array(roleAssignmentSchema).parse(JSON.parse(access.role_assignments)),
      customRoles: z.array(customRoleSchema).parse(JSON.parse(access.custom_roles)),
    },
  };
}
