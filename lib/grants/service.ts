import "server-only";

import { hasPermission } from "@/lib/auth/permissions";
import type { PortalSession } from "@/lib/auth/sessions";
import { getDb, type Db } from "@/lib/db/client";
import type { RoleGrantTable } from "@/lib/db/schema/grant/table";
import { displayNames } from "@/lib/directory/store";
import type { GrantState } from "@/lib/grants/lifecycle";

/*
 * Time-limited grants as routes and pages read them. The key team, approvers and auditors see
 * every grant; a requester sees those they asked for and those on their groups' keys.
 */

export interface GrantView {
  assignment: string;
  hsm: string;
  scope: string;
  /** The key a key-scoped grant is on; null for "/" and "/keys". */
  key: string | null;
  roleDefinitionId: string;
  roleName: string | null;
  principalId: string;
  principalName: string | null;
  requestId: string;
  requesterId: string;
  grantedAt: number;
  expiresAt: number;
  state: GrantState;
  endedAt: number | null;
}

export interface GrantFilters {
  mine?: boolean | undefined;
  state?: "active" | "ended" | "all" | undefined;
  hsm?: string | undefined;
  key?: string | undefined;
}

const LIMIT = 500;
const keyOf = (scope: string) => /^\/keys\/(.+)$/.exec(scope)?.[1] ?? null;

async function names(db: Db, rows: RoleGrantTable[]) {
  const [principals, roles] = await Promise.all([
    displayNames(db, [...new Set(rows.map((r) => r.principal_id))]),
    rows.length === 0
      ? []
      : db
          .selectFrom("inventory_role_definition")
          .select(["hsm", "id", "role_name"])
          .where("id", "in", [...new Set(rows.map((r) => r.role_definition_id))])
          .execute(),
  ]);
  const roleNames = new Map(roles.map((r) => [`${r.hsm}/${r.id.toLowerCase()}`, r.role_name]));
  return { principals, roleNames };
}

/** Keeps the grants on keys the viewer's groups own, or that the viewer asked for. */
async function visibleTo(
  db: Db,
  rows: RoleGrantTable[],
  viewer: { id: string; groups: readonly string[] },
): Promise<RoleGrantTable[]> {
  const groups = new Set(viewer.groups.map((g) => g.toLowerCase()));
  const keyed = rows.filter((r) => r.requester_id !== viewer.id && keyOf(r.scope));
  const owners = new Map<string, string | null>();
  for (const hsm of new Set(keyed.map((r) => r.hsm))) {
    const wanted = keyed.filter((r) => r.hsm === hsm).map((r) => keyOf(r.scope)!.toLowerCase());
    const found = await db
      .selectFrom("inventory_key")
      .select(["name_lower", "owner"])
      .where("hsm", "=", hsm)
      .where("name_lower", "in", [...new Set(wanted)])
      .execute();
    for (const row of found)
      owners.set(`${hsm}/${row.name_lower}`, row.owner?.toLowerCase() ?? null);
  }
  return rows.filter((r) => {
    if (r.requester_id === viewer.id) return true;
    const key = keyOf(r.scope);
    const owner = key ? owners.get(`${r.hsm}/${key.toLowerCase()}`) : null;
    return owner ? groups.has(owner) : false;
  });
}

export async function listGrants(
  db: Db,
  viewer: { id: string; groups: readonly string[]; readAll: boolean },
  filters: GrantFilters,
): Promise<GrantView[]> {
  const state = filters.state ?? "active";
  let query = db.selectFrom("role_grant").selectAll();
  if (state === "active") query = query.where("state", "in", ["active", "ending"]);
  if (state === "ended") query = query.where("state", "in", ["expired", "revoked"]);
  if (filters.mine) query = query.where("requester_id", "=", viewer.id);
  if (filters.hsm) query = query.where("hsm", "=", filters.hsm);
  if (filters.key) query = query.where("scope", "=", `/keys/${filters.key.toLowerCase()}`);
  const rows = await query
    .orderBy("expires_at", state === "ended" ? "desc" : "asc")
    .limit(LIMIT)
    .execute();
  const visible = viewer.readAll ? rows : await visibleTo(db, rows, viewer);
  const { principals, roleNames } = await names(db, visible);
  return visible.map((r) => ({
    assignment: r.assignment,
    hsm: r.hsm,
    scope: r.scope,
    key: keyOf(r.scope),
    roleDefinitionId: r.role_definition_id,
    roleName: roleNames.get(`${r.hsm}/${r.role_definition_id}`) ?? null,
    principalId: r.principal_id,
    principalName: principals.get(r.principal_id) ?? null,
    requestId: r.request_id,
    requesterId: r.requester_id,
    grantedAt: Number(r.granted_at),
    expiresAt: Number(r.expires_at),
    state: r.state as GrantState,
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  }));
}

export async function grantsFor(session: PortalSession, filters: GrantFilters) {
  return listGrants(
    await getDb(),
    {
      id: session.userOid,
      groups: session.groups,
      readAll: hasPermission(session.roles, "requests.readAll"),
    },
    filters,
  );
}

/**
 * When each live time-limited grant (of one HSM, or all) ends, by `hsm/assignment`, and the
 * moment it was read: what a page's countdowns start from.
 */
export async function grantEnds(hsm?: string): Promise<{ ends: Map<string, number>; now: number }> {
  let query = (await getDb())
    .selectFrom("role_grant")
    .select(["hsm", "assignment", "expires_at"])
    .where("state", "in", ["active", "ending"]);
  if (hsm) query = query.where("hsm", "=", hsm);
  const rows = await query.execute();
  return {
    ends: new Map(rows.map((r) => [`${r.hsm}/${r.assignment}`, Number(r.expires_at)])),
    now: Date.now(),
  };
}
