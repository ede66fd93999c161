import type { ReachingAssignment } from "@/lib/inventory/assignments";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";

const SCOPE_LABELS: Record<string, string> = { "/": "Whole HSM", "/keys": "All keys" };

export function AssignmentsTable({ assignments }: { assignments: ReachingAssignment[] }) {
  if (assignments.length === 0)
    return <p className="text-sm text-muted-foreground">No role assignment reaches this key.</p>;
  return (
    <Table scrollLabel="Role assignments">
      <TableHeader>
        <TableRow>
          <TableHead>Scope</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Principal (object id)</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {assignments.map((assignment) => (
          <TableRow key={assignment.name}>
            <TableCell>
              <Badge variant={assignment.scope.startsWith("/keys/") ? "default" : "secondary"}>
                {SCOPE_LABELS[assignment.scope] ?? "This key"}
              </Badge>{" "}
              <span className="font-mono text-xs text-muted-foreground">{assignment.scope}</span>
            </TableCell>
            <TableCell>
              {assignment.roleName ?? (
                <span className="font-mono text-xs">{assignment.roleDefinitionId}</span>
              )}
            </TableCell>
            <TableCell className="font-mono text-xs">{assignment.principalId}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
