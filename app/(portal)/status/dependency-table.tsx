import type { CheckResult } from "@/lib/health/checks";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";

const LABELS: Record<CheckResult["kind"], string> = {
  database: "Database",
  "blob-storage": "Blob storage (backups)",
  "identity-provider": "Identity provider",
  hsm: "Managed HSM",
};

function Label({ check }: { check: CheckResult }) {
  if (check.kind !== "hsm") return LABELS[check.kind];
  return (
    <span className="flex flex-col">
      {LABELS.hsm}
      <span className="font-mono text-xs font-normal text-muted-foreground">
        {check.name.replace(/^hsm:/, "")}
      </span>
    </span>
  );
}

export function DependencyTable({ checks }: { checks: CheckResult[] }) {
  return (
    <Table scrollLabel="Dependencies">
      <TableHeader>
        <TableRow>
          <TableHead>Dependency</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Latency</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {checks.map((check) => (
          <TableRow key={check.name}>
            <TableCell className="font-medium">
              <Label check={check} />
            </TableCell>
            <TableCell className="max-w-52 truncate font-mono text-xs" title={check.target}>
              {check.target}
            </TableCell>
            <TableCell>
              {check.status === "pass" ? (
                <Badge variant="success">Answering</Badge>
              ) : (
                <span className="flex flex-col gap-1 whitespace-normal">
                  <Badge variant="destructive">Not answering</Badge>
                  <span className="text-xs text-muted-foreground">{check.detail}</span>
                </span>
              )}
            </TableCell>
            <TableCell className="text-right tabular-nums">{check.latencyMs} ms</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
