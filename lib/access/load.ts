import "server-only";

import { z } from "zod";

import type { AccessModel, Assignment, RoleDefinition } from "@/lib/access/model";
import type { Db } from "@/lib/db/client";
import { readDirectory, type DirectorySnapshot } from "@/lib/directory/store";

/* The access model from the inventory mirror and the directory cache. */

const actionList = z.array(z.string());

export async function loadAssignments(db: Db, hsm?: string): Promise<Assignment[]> {
  let query = db
    .selectFrom("inventory_role_assignment")
    .select(["hsm", "name", "scope", "role_definition_id", "principal_id"]);
  if (hsm) query = query.where("hsm", "=", hsm);
  const rows = await query.orderBy("hsm").orderBy("scope").orderBy("name").execute();
  return rows.map((row) => ({
    hsm: row.hsm,
    name: row.name,
    scope: row.scope,
    roleDefinitionId: row.role_definition_id,
    principalId: row.principal_id,
  }));
}

export async function loadRoleDefinitions(db: Db): Promise<RoleDefinition[]> {
  const rows = await db
    .selectFrom("inventory_role_definition")
    .selectAll()
    .orderBy("hsm")
    .orderBy("role_name")
    .execute();
  return rows.map((row) => ({
    hsm: row.hsm,
    id: row.id,
    roleName: row.role_name,
    roleType: row.role_type,
    description: row.description,
    dataActions: actionList.parse(JSON.parse(row.data_actions)),
    notDataActions: actionList.parse(JSON.parse(row.not_data_actions)),
  }));
}

export async function loadAccessModel(
  db: Db,
): Promise<{ model: AccessModel; directory: DirectorySnapshot["status"] }> {
  const [assignments, roles, directory] = await Promise.all([
    loadAssignments(db),
    loadRoleDefinitions(db),
    readDirectory(db),
  ]);
  return {
    model: {
      assignments,
      roles,
      principals: directory.principals,
      groupMembers: directory.groupMembers,
      portalRoleHolders: directory.portalRoleHolders,
    },
    directory: directory.status,
  };
}
