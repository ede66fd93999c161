import type { Route } from "next";

import type { SeverityRow } from "@/lib/assurance/summaries";
import { SEVERITIES } from "@/lib/sod/types";
import { toSearchQuery } from "@/lib/validation/search-params";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { SEVERITY_LABELS } from "@/components/access/severity-badge";

/** Separation-of-duties findings by HSM and severity, each count linked to the findings. */
export function SodSection({ rows }: { rows: SeverityRow[] }) {
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  const link = (hsm: string | null, severity: string) =>
    `/sod${toSearchQuery({ hsm: hsm ?? undefined, severity })}` as Route;
  return (
    <Card role="region" aria-labelledby="assurance-sod">
      <CardHeader>
        <CardTitle id="assurance-sod">Separation-of-duties findings</CardTitle>
        <CardDescription>
          The current findings of the rules switched on, by severity.{" "}
          <a href="/sod" className="font-medium text-foreground underline underline-offset-4">
            Open the findings
          </a>
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        <Table scrollLabel="Separation-of-duties findings by severity">
          <TableHeader>
            <TableRow>
              <TableHead>HSM</TableHead>
              {SEVERITIES.map((severity) => (
                <TableHead key={severity} className="text-right">
                  {SEVERITY_LABELS[severity]}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.hsm ?? "portal"}>
                <TableCell>{row.hsm ?? "The portal's own roles"}</TableCell>
                {SEVERITIES.map((severity) => (
                  <TableCell key={severity} className="text-right tabular-nums">
                    {row.counts[severity] > 0 ? (
                      <a
                        href={row.hsm === null ? "/sod" : link(row.hsm, severity)}
                        className="font-medium underline underline-offset-4"
                        aria-label={`${row.counts[severity]} ${SEVERITY_LABELS[severity].toLowerCase()} in ${row.hsm ?? "the portal's own roles"}`}
                      >
                        {row.counts[severity].toLocaleString("en")}
                      </a>
                    ) : (
                      <span className="text-muted-foreground">0</span>
                    )}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {total === 0 ? (
          <p role="status" className="text-muted-foreground">
            No separation-of-duties finding: every rule switched on is met.
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
