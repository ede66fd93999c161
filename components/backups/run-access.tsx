import type { CatalogueAccess } from "@/lib/backup/catalogue";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";

/** Data actions run long and many: one to a line, wrapping inside the cell. */
function ActionList({ actions }: { actions: string[] }) {
  if (actions.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <ul className="min-w-48 font-mono text-xs break-all whitespace-normal">
      {actions.map((action) => (
        <li key={action}>{action}</li>
      ))}
    </ul>
  );
}

/** The role assignments and custom roles a backup holds, folded away until asked for. */
export function RunAccess({ access }: { access: CatalogueAccess }) {
  const { roleAssignments, customRoles } = access;
  return (
    <details className="rounded-lg border p-4">
      <summary className="cursor-pointer font-medium">
        Access in this backup: {roleAssignments.length} role assignment
        {roleAssignments.length === 1 ? "" : "s"}, {customRoles.length} custom role
        {customRoles.length === 1 ? "" : "s"}
      </summary>
      <div className="mt-4 flex flex-col gap-4">
        <Table scrollLabel="Role assignments in this backup">
          <TableHeader>
            <TableRow>
              <TableHead>Scope</TableHead>
              <TableHead>Role definition</TableHead>
              <TableHead>Principal</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {roleAssignments.map((a) => (
              <TableRow key={a.name}>
                <TableCell className="font-mono text-xs">{a.scope}</TableCell>
                <TableCell className="font-mono text-xs break-all">{a.roleDefinitionId}</TableCell>
                <TableCell className="font-mono text-xs">{a.principalId}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {customRoles.length === 0 ? (
          <p className="text-sm text-muted-foreground">No custom roles.</p>
        ) : (
          <Table scrollLabel="Custom roles in this backup">
            <TableHeader>
              <TableRow>
                <TableHead>Role</TableHead>
                <TableHead>Data actions</TableHead>
                <TableHead>Not data actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {customRoles.map((role) => (
                <TableRow key={role.id}>
                  <TableCell className="font-medium">{role.roleName}</TableCell>
                  <TableCell>
                    <ActionList actions={role.dataActions} />
                  </TableCell>
                  <TableCell>
                    <ActionList actions={role.notDataActions} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
    </details>
  );
}
