import "server-only";

import type { Db } from "@/lib/db/client";

export interface ReachingAssignment {
  name: string;
  scope: string;
  roleDefinitionId: string;
  roleName: string | null;
  principalId: string;
}

/** Every assignment that reaches a key: at "/", at "/keys" and at the key's own scope. */
export async function assignmentsReaching(
  db: Db,
  hsm: string,
  name: string,
): Promise<ReachingAssignment[]> {
  const rows = await db
    .selectFrom("inventory_role_assignment as a")
    .leftJoin("inventory_role_definition as d", (join) =>
      join.onRef("d.hsm", "=", "a.hsm").onRef("d.id", "=", "a.role_definition_id"),
    )
    .select(["a.name", "a.scope", "a.role_definition_id", "a.principal_id", "d.role_name"])
    .where("a.hsm", "=", hsm)
    .where((eb) =>
      eb.or([eb("a.key_lower", "is", null), eb("a.key_lower", "=", name.toLowerCase())]),
    )
    .execute();
  const scopeOrder = (scope: string) => (scope === "/" ? 0 : scope === "/keys" ? 1 : 2);
  return rows
    .map((row) => ({
      name: row.name,
      scope: row.scope,
      roleDefinitionId: row.role_definition_id,
      roleName: row.role_name,
      principalId: row.principal_id,
    }))
    .sort(
      (a, b) =>
        scopeOrder(a.scope) - scopeOrder(b.scope) ||
        (a.roleName ?? "").localeCompare(b.roleName ?? ""),
    );
}
