import type { AssuranceView } from "@/lib/assurance/service";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DayStrip } from "@/components/backups/day-strip";
import { FreshnessLine } from "@/components/backups/freshness-line";
import { StackedBarChart } from "@/components/charts/stacked-bar-chart";

/** Each HSM's backup freshness and last 30 days, and every HSM's backup outcomes per day. */

const DAY = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", timeZone: "UTC" });

export function BackupSection({
  backups,
  className,
}: {
  backups: NonNullable<AssuranceView["backups"]>;
  className?: string;
}) {
  const totals = backups.days.reduce(
    (sum, day) => ({
      good: sum.good + day.good,
      failed: sum.failed + day.failed,
      missed: sum.missed + day.missed,
    }),
    { good: 0, failed: 0, missed: 0 },
  );
  const any = totals.good + totals.failed + totals.missed > 0;
  return (
    <Card className={className} role="region" aria-labelledby="assurance-backups">
      <CardHeader>
        <CardTitle id="assurance-backups">Backups</CardTitle>
        <CardDescription>
          How fresh each HSM&apos;s last good full backup is, and how its backups went.{" "}
          <a href="/backups" className="font-medium text-foreground underline underline-offset-4">
            Open the backups
          </a>
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6 text-sm">
        <ul className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          {backups.freshness.map((hsm) => (
            <li key={hsm.hsm} className="flex min-w-0 flex-col gap-2">
              <h3 className="font-medium">{hsm.hsm}</h3>
              <FreshnessLine freshness={hsm} />
              <DayStrip hsm={hsm.hsm} days={hsm.days} />
            </li>
          ))}
        </ul>
        <div className="flex flex-col gap-2">
          <h3 className="font-medium">Backup outcomes per day, every HSM, the last 30 days</h3>
          {any ? (
            <StackedBarChart
              title="Backup outcomes per day, the last 30 days"
              summary={`${totals.good} good, ${totals.failed} failed and ${totals.missed} missed backups in 30 days`}
              series={[
                { key: "good", label: "good", fill: "fill-success" },
                { key: "failed", label: "failed or interrupted", fill: "fill-destructive" },
                { key: "missed", label: "missed", fill: "fill-warning" },
              ]}
              tickEvery={7}
              tableNote="Days in UTC, oldest first"
              columns={backups.days.map((day) => ({
                tick: DAY.format(day.start),
                name: day.day,
                values: { good: day.good, failed: day.failed, missed: day.missed },
              }))}
            />
          ) : (
            <p role="status" className="text-muted-foreground">
              No backup ran, failed or was missed in the last 30 days.
            </p>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
