import "server-only";

import type { PortalRoleHolder, Principal } from "@/lib/access/model";
import type { Db } from "@/lib/db/client";
import type { DirectoryObjectTable } from "@/lib/db/schema/directory/table";
import { groupLabel, type GroupLabel } from "@/lib/directory/group-labels";

/* The directory cache in the portal database: read by the access views, written by refresh. */

export interface DirectorySnapshot {
  principals: Map<string, Principal>;
  groupMembers: Map<string, string[]>;
  portalRoleHolders: PortalRoleHolder[];
  status: { lastSuccessAt: number | null; lastAttemptAt: number | null; lastError: string | null };
}

export function toPrincipal(row: DirectoryObjectTable): Principal {
  if (row.kind === "missing")
    return {
      id: row.id,
      kind: "unknown",
      displayName: null,
      detail: null,
      guest: false,
      status: "missing",
    };
  return {
    id: row.id,
    kind: row.kind,
    displayName: row.display_name,
    detail: row.detail,
    guest: row.guest === 1,
    status: "exists",
  };
}

export async function readDirectory(db: Db): Promise<DirectorySnapshot> {
  const [objects, members, roles, status] = await Promise.all([
    db.selectFrom("directory_object").selectAll().execute(),
    db.selectFrom("directory_member").selectAll().execute(),
    db.selectFrom("directory_portal_role").selectAll().execute(),
    db.selectFrom("directory_status").selectAll().where("id", "=", 1).executeTakeFirst(),
  ]);
  const groupMembers = new Map<string, string[]>();
  for (const row of members) {
    const list = groupMembers.get(row.group_id) ?? [];
    list.push(row.member_id);
    groupMembers.set(row.group_id, list);
  }
  return {
    principals: new Map(objects.map((row) => [row.id, toPrincipal(row)])),
    groupMembers,
    portalRoleHolders: roles.map((row) => ({
      principalId: row.principal_id,
      role: row.role,
      viaGroupId: row.via_group_id,
    })),
    status: {
      lastSuccessAt: status?.last_success_at ?? null,
      lastAttemptAt: status?.last_attempt_at ?? null,
      lastError: status?.last_error ?? null,
    },
  };
}

export interface DirectoryWrite {
  objects: DirectoryObjectTable[];
  members: { group_id: string; member_id: string }[];
  portalRoles: { principal_id: string; role: string; via_group_id: string | null }[];
}

const CHUNK = 200;

/** Adds directory objects to the cache, or updates those it holds (in the caller's transaction). */
export async function storeObjects(
  db: Db,
  objects: readonly DirectoryObjectTable[],
): Promise<void> {
  for (let i = 0; i < objects.length; i += CHUNK)
    await db
      .insertInto("directory_object")
      .values(objects.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          kind: eb.ref("excluded.kind"),
          display_name: eb.ref("excluded.display_name"),
          detail: eb.ref("excluded.detail"),
          guest: eb.ref("excluded.guest"),
          fetched_at: eb.ref("excluded.fetched_at"),
        })),
      )
      .execute();
}

/** Replaces the cache with a complete refresh, in one transaction. */
export async function writeDirectory(db: Db, write: DirectoryWrite, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await storeObjects(trx, write.objects);
    await trx.deleteFrom("directory_member").execute();
    for (let i = 0; i < write.members.length; i += CHUNK)
      await trx
        .insertInto("directory_member")
        .values(write.members.slice(i, i + CHUNK))
        .execute();
    await trx.deleteFrom("directory_portal_role").execute();
    if (write.portalRoles.length > 0)
      await trx.insertInto("directory_portal_role").values(write.portalRoles).execute();
    await recordStatus(trx, { last_attempt_at: now, last_success_at: now, last_error: null });
  });
}

export async function recordStatus(
  db: Db,
  values: { last_attempt_at: number; last_success_at?: number; last_error: string | null },
): Promise<void> {
  await db
    .insertInto("directory_status")
    .values({ id: 1, last_success_at: null, ...values })
    .onConflict((oc) => oc.column("id").doUpdateSet(values))
    .execute();
}

/** Principal ids the role assignments name that the cache has never described. */
export async function unknownPrincipalIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom("inventory_role_assignment as a")
    .leftJoin("directory_object as o", "o.id", "a.principal_id")
    .select("a.principal_id")
    .distinct()
    .where("o.id", "is", null)
    .execute();
  return rows.map((row) => row.principal_id);
}

/** Display names of cached directory objects, for labels (ids without a cached name are left out). */
export async function displayNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("directory_object")
    .select(["id", "display_name"])
    .where("id", "in", ids)
    .where("display_name", "is not", null)
    .execute();
  return new Map(rows.map((row) => [row.id, row.display_name!]));
}

/**
 * Labels for group ids named outside the role assignments (the keys' owner tags): a name, a
 * deleted principal, or an id the cache has not described yet. One query for every id given.
 */
export async function groupLabels(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, GroupLabel>> {
  if (ids.length === 0) return new Map();
  const lower = [...new Set(ids.map((id) => id.toLowerCase()))];
  const rows = await db
    .selectFrom("directory_object")
    .selectAll()
    .where("id", "in", lower)
    .execute();
  const cached = new Map(rows.map((row) => [row.id, toPrincipal(row)]));
  return new Map(ids.map((id) => [id, groupLabel(id, cached.get(id.toLowerCase()))]));
}

/** The ids of every group the directory cache describes (owner tags, assignments, members). */
export async function cachedGroupIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom("directory_object")
    .select("id")
    .where("kind", "=", "group")
    .execute();
  return rows.map((row) => row.id);
}
