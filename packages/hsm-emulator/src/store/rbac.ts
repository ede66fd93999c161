import type { RoleDefinitionProperties } from "../rbac/builtin-roles";
import type { Assignment } from "../rbac/evaluate";
import type { EmulatorDb } from "./database";

/* Role assignments and custom role definitions of each HSM. */

interface AssignmentRow {
  name: string;
  scope: string;
  role_definition_id: string;
  principal_id: string;
}

const toAssignment = (row: AssignmentRow): Assignment => ({
  name: row.name,
  scope: row.scope,
  roleDefinitionId: row.role_definition_id,
  principalId: row.principal_id,
});

export function listAssignments(db: EmulatorDb, hsm: string): Assignment[] {
  return (
    db
      .prepare("select * from role_assignment where hsm = ? order by created, name")
      .all(hsm) as AssignmentRow[]
  ).map(toAssignment);
}

export function insertAssignment(
  db: EmulatorDb,
  hsm: string,
  assignment: Assignment,
  created: number,
): void {
  db.prepare(
    "insert into role_assignment (hsm, name, scope, role_definition_id, principal_id, created) values (?, ?, ?, ?, ?, ?)",
  ).run(
    hsm,
    assignment.name,
    assignment.scope,
    assignment.roleDefinitionId,
    assignment.principalId,
    created,
  );
}

export function deleteAssignment(db: EmulatorDb, hsm: string, name: string): void {
  db.prepare("delete from role_assignment where hsm = ? and name = ?").run(hsm, name);
}

export function deleteAllAssignments(db: EmulatorDb, hsm: string): void {
  db.prepare("delete from role_assignment where hsm = ?").run(hsm);
}

export function listCustomRoles(
  db: EmulatorDb,
  hsm: string,
): { name: string; properties: RoleDefinitionProperties }[] {
  return (
    db
      .prepare("select name, properties from role_definition where hsm = ? order by name")
      .all(hsm) as { name: string; properties: string }[]
  ).map((row) => ({
    name: row.name,
    properties: JSON.parse(row.properties) as RoleDefinitionProperties,
  }));
}

export function upsertCustomRole(
  db: EmulatorDb,
  hsm: string,
  name: string,
  properties: RoleDefinitionProperties,
): void {
  db.prepare(
    "insert into role_definition (hsm, name, properties) values (?, ?, ?) on conflict (hsm, name) do update set properties = excluded.properties",
  ).run(hsm, name, JSON.stringify(properties));
}

export function deleteCustomRole(db: EmulatorDb, hsm: string, name: string): void {
  db.prepare("delete from role_definition where hsm = ? and name = ?").run(hsm, name);
}
