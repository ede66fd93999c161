import type { Route } from "next";

import type { AssuranceView } from "@/lib/assurance/service";
import { filtersToQuery, readKeyFilters } from "@/lib/inventory/filters";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { StackedBarChart } from "@/components/charts/stacked-bar-chart";

/*
 * Rotation compliance: each HSM's keys now, and the share on time at each of the last twelve
 * months' ends, with what that share is based on said in words (lib/assurance/rotation.ts).
 */

const MONTH = new Intl.DateTimeFormat("en", { month: "short", timeZone: "UTC" });
const MONTH_YEAR = new Intl.DateTimeFormat("en", {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});
const percent = (share: number) => `${Math.round(share * 100)}%`;

export function RotationSection({
  rotation,
  className,
}: {
  rotation: NonNullable<AssuranceView["rotation"]>;
  className?: string;
}) {
  const { byHsm, months } = rotation;
  const keysLink = (hsm: string) =>
    `/keys${filtersToQuery(readKeyFilters({ hsm, policy: "rotates", sort: "rotation" }))}` as Route;
  const judged = months.filter((m) => m.share !== null);
  const latest = judged.at(-1);
  const summary =
    judged.length === 0
      ? "no key with a rotation policy could be judged in any month"
      : `${percent(latest!.share!)} of the keys with a rotation policy on time in ${MONTH_YEAR.format(latest!.at)}${latest!.toDate ? " so far" : ""}; ${judged.length} of ${months.length} months could be judged`;

  return (
    <Card className={className} role="region" aria-labelledby="assurance-rotation">
      <CardHeader>
        <CardTitle id="assurance-rotation">Rotation compliance</CardTitle>
        <CardDescription>
          Each key against its own rotation policy: on time, late (past its rotation by more than a
          day), never rotated (late on its first version), or no rotation policy.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6 text-sm">
        <Table scrollLabel="Rotation compliance per HSM">
          <TableHeader>
            <TableRow>
              <TableHead>HSM</TableHead>
              <TableHead className="text-right">Keys</TableHead>
              <TableHead className="text-right">On time</TableHead>
              <TableHead className="text-right">Late</TableHead>
              <TableHead className="text-right">Never rotated</TableHead>
              <TableHead className="text-right">No policy</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {byHsm.map((row) => (
              <TableRow key={row.hsm}>
                <TableCell>
                  <a href={keysLink(row.hsm)} className="underline-offset-4 hover:underline">
                    {row.hsm}
                  </a>
                </TableCell>
                <TableCell className="text-right tabular-nums">{row.total}</TableCell>
                <TableCell className="text-right tabular-nums">{row["on-time"]}</TableCell>
                <TableCell className="text-right tabular-nums">{row.late}</TableCell>
                <TableCell className="text-right tabular-nums">{row["never-rotated"]}</TableCell>
                <TableCell className="text-right tabular-nums">{row["no-policy"]}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <div className="flex flex-col gap-2">
          <h3 className="font-medium">On time at each month&apos;s end, the last 12 months</h3>
          {judged.length === 0 ? (
            <p role="status" className="text-muted-foreground">
              No key with a rotation policy could be judged in the last 12 months.
            </p>
          ) : (
            <StackedBarChart
              title="Keys with a rotation policy on time at each month's end"
              summary={summary}
              series={[{ key: "onTime", label: "share on time", fill: "fill-success" }]}
              max={100}
              format={(value) => `${Math.round(value)}%`}
              none="no key could be judged"
              noteHeading="Keys judged"
              columns={months.map((month) => ({
                tick: MONTH.format(month.at),
                name: `${MONTH_YEAR.format(month.at)}${month.toDate ? ", to date" : ""}`,
                values: month.share === null ? null : { onTime: month.share * 100 },
                note: `${month.onTime} on time, ${month.late} late, ${month.unknown} not known`,
              }))}
            />
          )}
          {latest ? (
            <p>
              {MONTH_YEAR.format(latest.at)}
              {latest.toDate ? " so far" : ""}: {latest.onTime} on time, {latest.late} late
              {latest.unknown > 0 ? `, ${latest.unknown} not known` : ""}.
            </p>
          ) : null}
          <p className="text-xs text-muted-foreground" data-testid="rotation-basis">
            Based on the inventory mirror as of its last sync: each key&apos;s current version and
            today&apos;s rotation policy. The mirror does not keep older versions&apos; times or
            past policies, so a key rotated since a month&apos;s end is left out of that month as
            not known rather than guessed; keys purged from the HSM are no longer in the mirror.
          </p>
        </div>
      </CardContent>
    </Card>
  );
}
