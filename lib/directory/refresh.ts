import "server-only";

import pLimit from "p-limit";

import type { Db } from "@/lib/db/client";
import type { DirectoryObjectTable } from "@/lib/db/schema/directory/table";
import { kindOf, type GraphClient, type GraphObject } from "@/lib/directory/graph";
import { recordStatus, writeDirectory, type DirectoryWrite } from "@/lib/directory/store";
import { isGuid } from "@/lib/validation/primitives";

/*
 * One complete refresh of the directory cache: every principal the mirrored role assignments
 * name, the groups the keys' owner tags name, the transitive members of assigned groups, and the holders of the portal's own app
 * roles (through groups' direct members, as Entra ID applies app roles). An id the directory
 * does not return is recorded as missing, so the views can say "deleted" instead of failing.
 * A failed refresh keeps the previous cache and records why.
 */

const GROUP_CONCURRENCY = 4;

export interface RefreshOutcome {
  principals: number;
  groups: number;
  missing: number;
  portalRoleHolders: number;
}

/** A directory object as the cache keeps it; null for a kind the portal does not track. */
export function directoryRow(object: GraphObject, now: number): DirectoryObjectTable | null {
  const kind = kindOf(object);
  if (!kind) return null;
  return {
    id: object.id.toLowerCase(),
    kind,
    display_name: object.displayName ?? null,
    detail:
      kind === "servicePrincipal" ? (object.appId ?? null) : (object.userPrincipalName ?? null),
    guest: kind === "user" && object.userType === "Guest" ? 1 : 0,
    fetched_at: now,
  };
}

export async function refreshDirectory(
  db: Db,
  graph: GraphClient,
  options: { portalAppId: string; now?: number },
): Promise<RefreshOutcome> {
  const now = options.now ?? Date.now();
  try {
    const assigned = (
      await db.selectFrom("inventory_role_assignment").select("principal_id").distinct().execute()
    ).map((row) => row.principal_id.toLowerCase());
    const owners = (
      await db
        .selectFrom("inventory_key")
        .select("owner")
        .distinct()
        .where("owner", "is not", null)
        .execute()
    ).flatMap((row) => (row.owner && isGuid(row.owner) ? [row.owner] : []));
    const holders = await graph.appRoleHolders(options.portalAppId);
    const wanted = [
      ...new Set([...assigned, ...owners, ...holders.map((h) => h.principalId.toLowerCase())]),
    ];

    const objects = new Map<string, DirectoryObjectTable>();
    const keep = (object: GraphObject) => {
      const row = directoryRow(object, now);
      if (row) objects.set(row.id, row);
    };
    (await graph.getByIds(wanted)).forEach(keep);

    const limit = pLimit(GROUP_CONCURRENCY);
    const assignedGroups = assigned.filter((id) => objects.get(id)?.kind === "group");
    const members: DirectoryWrite["members"] = [];
    await Promise.all(
      assignedGroups.map((groupId) =>
        limit(async () => {
          for (const member of (await graph.transitiveMembers(groupId)) ?? []) {
            keep(member);
            members.push({ group_id: groupId, member_id: member.id.toLowerCase() });
          }
        }),
      ),
    );

    const portalRoles: DirectoryWrite["portalRoles"] = [];
    await Promise.all(
      holders.map((holder) =>
        limit(async () => {
          const principalId = holder.principalId.toLowerCase();
          if (holder.principalType !== "Group") {
            portalRoles.push({ principal_id: principalId, role: holder.role, via_group_id: null });
            return;
          }
          for (const member of (await graph.directMembers(principalId)) ?? []) {
            keep(member);
            if (kindOf(member) === "user")
              portalRoles.push({
                principal_id: member.id.toLowerCase(),
                role: holder.role,
                via_group_id: principalId,
              });
          }
        }),
      ),
    );

    let missing = 0;
    for (const id of wanted)
      if (!objects.has(id)) {
        missing += 1;
        objects.set(id, {
          id,
          kind: "missing",
          display_name: null,
          detail: null,
          guest: 0,
          fetched_at: now,
        });
      }
    await writeDirectory(db, { objects: [...objects.values()], members, portalRoles }, now);
    return {
      principals: objects.size,
      groups: assignedGroups.length,
      missing,
      portalRoleHolders: new Set(portalRoles.map((r) => r.principal_id)).size,
    };
  } catch (error) {
    await recordStatus(db, {
      last_attempt_at: now,
      last_error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}
