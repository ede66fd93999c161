import "server-only";

import { sql, type ExpressionBuilder } from "kysely";

import { keyOfScope } from "@/lib/access/model";
import { hasPermission } from "@/lib/auth/permissions";
import type { PortalSession } from "@/lib/auth/sessions";
import { getDb, type Db } from "@/lib/db/client";
import type { Database } from "@/lib/db/schema";
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

/**
 * The grants a viewer without `requests.readAll` may see: those they asked for, and those on
 * keys whose `owner` tag (lower-cased by the sync) names one of their groups.
 */
function visibleTo(
  eb: ExpressionBuilder<Database, "role_grant">,
  viewer: { id: string; groups: readonly string[] },
) {
  const groups = [...new Set(viewer.groups.map((g) => g.toLowerCase()))];
  const asked = eb("role_grant.requester_id", "=", viewer.id);
  if (groups.length === 0) return asked;
  return eb.or([
    asked,
    eb.exists(
      eb
        .selectFrom("inventory_key")
        .select("inventory_key.name_lower")
        .whereRef("inventory_key.hsm", "=", "role_grant.hsm")
        .where("inventory_key.owner", "in", groups)
        .where(sql<boolean>`${sql.lit("/keys/")} || inventory_key.name_lower = role_grant.scope`),
    ),
  ]);
}

export async function listGrants(
  db: Db,
  viewer: { id: string; groups: readonly string[]; readAll: boolean },
  filters: GrantFilters,
): Promise<GrantView[]> {
  const state = filters.state ?? "active";
  let query = db.selectFrom("role_grant").selectAll("role_grant");
  if (state === "active") query = query.where("state", "in", ["active", "ending"]);
  if (state === "ended") query = query.where("state", "in", ["expired", "revoked"]);
  if (filters.mine) query = query.where("requester_id", "=", viewer.id);
  if (filters.hsm) query = query.where("hsm", "=", filters.hsm);
  if (filters.key) query = query.where("scope", "=", `/keys/${filters.key.toLowerCase()}`);
  // In the query, not after it: a requester's grants must not fall behind the limit.
  if (!viewer.readAll) query = query.where((eb) => visibleTo(eb, viewer));
  const rows = await query
    .orderBy("expires_at", state === "ended" ? "desc" : "asc")
    .limit(LIMIT)
    .execute();
  const { principals, roleNames } = await names(db, rows);
  return rows.map((r) => ({
    assignment: r.assignment,
    hsm: r.hsm,
    scope: r.scope,
    key: keyOfScope(r.scope),
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
