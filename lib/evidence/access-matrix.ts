import {
  grantsByPrincipal,
  indexRoles,
  isHsmWide,
  keyOfScope,
  principalLabel,
  principalOf,
  type AccessModel,
} from "@/lib/access/model";
import { toCsv } from "@/lib/format/csv";

/*
 * Who can do what with which key: one row per principal, key and role, held directly or through
 * a group (the group's transitive members, as the directory cache knows them). An assignment at
 * the HSM or at /keys reaches every key: its row names the key "*" rather than repeating itself
 * for thousands of keys. Pure.
 */

export const ACCESS_MATRIX_HEADER = [
  "hsm",
  "key",
  "scope",
  "role",
  "role_type",
  "principal",
  "principal_kind",
  "principal_id",
  "through",
  "through_group_id",
  "assignment",
] as const;

export function accessMatrixCsv(model: AccessModel, hsms: readonly string[]): string {
  const roles = indexRoles(model.roles);
  const wanted = new Set(hsms);
  const rows: (string | null)[][] = [];
  const grants = [...grantsByPrincipal(model, roles)].sort(([a], [b]) => a.localeCompare(b));
  for (const [principalId, list] of grants) {
    const principal = principalOf(model, principalId);
    for (const grant of list) {
      const { assignment } = grant;
      if (!wanted.has(assignment.hsm)) continue;
      const group = grant.viaGroupId ? principalOf(model, grant.viaGroupId) : null;
      rows.push([
        assignment.hsm,
        isHsmWide(assignment.scope) ? "*" : keyOfScope(assignment.scope),
        assignment.scope,
        grant.roleName,
        roles.get(assignment.hsm, assignment.roleDefinitionId)?.roleType ?? null,
        principalLabel(principal),
        principal.kind === "user" && principal.guest ? "guest user" : principal.kind,
        principal.id,
        group ? `group ${principalLabel(group)}` : "direct",
        group?.id ?? null,
        assignment.name,
      ]);
    }
  }
  rows.sort(
    (a, b) =>
      a[0]!.localeCompare(b[0]!) ||
      (a[1] ?? "").localeCompare(b[1] ?? "") ||
      a[5]!.localeCompare(b[5]!) ||
      a[3]!.localeCompare(b[3]!),
  );
  return toCsv(ACCESS_MATRIX_HEADER, rows);
}
