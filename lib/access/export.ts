import { principalLabel } from "@/lib/access/model";
import type { AssignmentRow } from "@/lib/access/views";
import { toCsv } from "@/lib/format/csv";

export function assignmentsCsv(rows: readonly AssignmentRow[]): string {
  return toCsv(
    [
      "hsm",
      "assignment",
      "scope",
      "role",
      "role_type",
      "principal",
      "principal_kind",
      "principal_status",
      "principal_detail",
      "principal_id",
    ],
    rows.map((row) => [
      row.hsm,
      row.name,
      row.scope,
      row.roleName,
      row.roleType ?? "",
      principalLabel(row.principal),
      row.principal.kind === "user" && row.principal.guest ? "guest user" : row.principal.kind,
      row.principal.status,
      row.principal.detail ?? "",
      row.principalId,
    ]),
  );
}
