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
  const words = (month: (typeof months)[number]) =>
    `${MONTH_YEAR.format(month.at)}${month.toDate ? " so far" : ""}: ${month.onTime} on time, ${month.late} late, ${month.unknown} not known`;
  const first = months.find((m) => m.onTime + m.late + m.unknown > 0);
  const summary =
    judged.length === 0
      ? "no key with a rotation policy could be judged in any month"
      : `${percent(latest!.share!)} of the keys whose state is known on time in ${MONTH_YEAR.format(latest!.at)}${latest!.toDate ? " so far" : ""}. ${words(latest!)}${first && first !== latest ? `; ${words(first)}` : ""}`;

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
          <h3 className="font-medium">
            Keys with a rotation policy at each month&apos;s end, the last 12 months
          </h3>
          {judged.length === 0 ? (
            <p role="status" className="text-muted-foreground">
              No key with a rotation policy could be judged in the last 12 months.
            </p>
          ) : (
            <StackedBarChart
              title="Keys with a rotation policy at each month's end"
              summary={summary}
              series={[
                { key: "onTime", label: "on time", fill: "fill-success" },
                { key: "late", label: "late", fill: "fill-destructive" },
                {
                  key: "unknown",
                  label: "not known (rotated since)",
                  fill: "fill-muted-foreground/35",
                },
              ]}
              max={100}
              narrowTickEvery={2}
              format={(value) => `${Math.round(value)}%`}
              none="no key with a policy yet"
              noteHeading="Keys"
              columns={months.map((month) => {
                const counted = month.onTime + month.late + month.unknown;
                const share = (n: number) => (n / counted) * 100;
                return {
                  tick: MONTH.format(month.at),
                  name: `${MONTH_YEAR.format(month.at)}${month.toDate ? ", to date" : ""}`,
                  values:
                    counted === 0
                      ? null
                      : {
                          onTime: share(month.onTime),
                          late: share(month.late),
                          unknown: share(month.unknown),
                        },
                  note: `${month.onTime} on time, ${month.late} late, ${month.unknown} not known`,
                };
              })}
            />
          )}
          {latest ? <p>{words(latest)}.</p> : null}
          <p className="text-xs text-muted-foreground" data-testid="rotation-basis">
            Based on the inventory mirror as of its last sync: each key&apos;s current version and
            today&apos;s rotation policy. The mirror does not keep older versions&apos; times or
            past policies, so for a key rotated since a month&apos;s end the month shows it as not
            known rather than guessed: the share on time then lies between the green bar and the
            green and grey bars together. Keys purged from the HSM are no longer in the mirror.
          </p>
        </div>
      </CardContent>
    </Card>
  );
}
