import { z } from "zod";

/*
 * What a backup holds, as the portal records it: the shapes of the catalogue's JSON columns
 * (parsed with zod when read back) and the rule that turns the mirror and the key versions read
 * after the backup into catalogue entries. Pure.
 */

export const catalogueVersionSchema = z.object({
  version: z.string(),
  createdOn: z.number(),
  enabled: z.boolean(),
  expiresOn: z.number().nullable(),
});
export type CatalogueVersion = z.infer<typeof catalogueVersionSchema>;

export const catalogueAttributesSchema = z.object({
  currentVersion: z.string(),
  kty: z.string().nullable(),
  family: z.enum(["RSA", "EC", "oct"]).nullable(),
  keySize: z.number().nullable(),
  curve: z.string().nullable(),
  keyOps: z.array(z.string()),
  enabled: z.boolean(),
  exportable: z.boolean(),
  managed: z.boolean(),
  notBefore: z.number().nullable(),
  expiresOn: z.number().nullable(),
  createdOn: z.number(),
  updatedOn: z.number(),
  recoveryLevel: z.string().nullable(),
  rotationPolicy: z.unknown().nullable(),
});
export type CatalogueAttributes = z.infer<typeof catalogueAttributesSchema>;

export const tagsSchema = z.record(z.string(), z.string());

export const roleAssignmentSchema = z.object({
  name: z.string(),
  scope: z.string(),
  roleDefinitionId: z.string(),
  principalId: z.string(),
});

export const customRoleSchema = z.object({
  id: z.string(),
  roleName: z.string(),
  dataActions: z.array(z.string()),
  notDataActions: z.array(z.string()),
});

export interface CatalogueKey {
  name: string;
  versions: CatalogueVersion[];
  attributes: CatalogueAttributes;
  tags: Record<string, string>;
}

export interface CatalogueAccess {
  roleAssignments: z.infer<typeof roleAssignmentSchema>[];
  customRoles: z.infer<typeof customRoleSchema>[];
}

export interface Catalogue {
  keys: CatalogueKey[];
  access: CatalogueAccess;
}

/**
 * The versions a backup can hold: the mirror is read after the backup ended, so a version the HSM
 * created after the end (by its clock, which also stamps `createdOn`) is left out, and a key left
 * with no version is not in the backup at all. `endedAt` null (not reported): nothing is left out.
 */
export function versionsInBackup(
  versions: readonly CatalogueVersion[],
  endedAt: number | null,
): CatalogueVersion[] {
  const held = endedAt === null ? [...versions] : versions.filter((v) => v.createdOn <= endedAt);
  return held.sort((a, b) => b.createdOn - a.createdOn);
}

/** The catalogue's keys: each mirrored live key with the versions the backup can hold. */
export function catalogueKeys(
  keys: readonly Omit<CatalogueKey, "versions">[],
  versionsOf: (nameLower: string) => readonly CatalogueVersion[],
  endedAt: number | null,
): CatalogueKey[] {
  return keys.flatMap((key) => {
    const versions = versionsInBackup(versionsOf(key.name.toLowerCase()), endedAt);
    return versions.length === 0 ? [] : [{ ...key, versions }];
  });
}
