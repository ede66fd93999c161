import type { Route } from "next";
import Link from "next/link";

import type { HsmBackups } from "@/lib/backup/page-data";
import { retentionInWords } from "@/lib/backup/schedule-items";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { When } from "@/components/data-table/date-text";

import { BackUpNowButton } from "./back-up-now-button";
import { DayStrip } from "./day-strip";
import { FreshnessLine } from "./freshness-line";
import { NewSchedule, ScheduleActions } from "./schedule-actions";

const AUTH_WORDS = {
  sas: "with a SAS minted for each run",
  "managed-identity": "with the HSM's managed identity",
} as const;

/**
 * One HSM's backups: how fresh its last good one is, when the next runs, its schedules in
 * words, the last 30 days, and what this person may do about them.
 */
export function HsmBackupsCard({
  backups,
  now,
  canRun,
  canFile,
  defaults,
}: {
  backups: HsmBackups;
  now: number;
  canRun: boolean;
  canFile: boolean;
  defaults: { container: string; timeZone: string };
}) {
  const { hsm, freshness, schedules, latest } = backups;
  const titleId = `backups-${hsm}`;
  return (
    <Card role="region" aria-labelledby={titleId}>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-[1_1_16rem] space-y-1">
          <CardTitle id={titleId}>{hsm}</CardTitle>
          <p className="text-xs text-muted-foreground">
            Next scheduled backup:{" "}
            {backups.nextRunAt ? (
              <When value={Date.parse(backups.nextRunAt)} now={now} withTime relative="inline" />
            ) : (
              "none (no schedule, or every one paused)"
            )}
          </p>
          {latest?.state === "running" ? (
            <p className="text-xs">
              <Badge variant="secondary">Running</Badge>{" "}
              <Link
                href={`/backups/runs/${latest.id}` as Route}
                prefetch={false}
                className="ui-link text-primary underline"
              >
                A backup is running
              </Link>
            </p>
          ) : null}
        </div>
        {canRun ? <BackUpNowButton hsm={hsm} /> : null}
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <FreshnessLine freshness={freshness} />
        <DayStrip hsm={hsm} days={backups.days} />
        <section aria-labelledby={`${titleId}-schedules`} className="flex flex-col gap-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 id={`${titleId}-schedules`} className="text-sm font-medium">
              Schedules
            </h3>
            {canFile ? <NewSchedule hsm={hsm} defaults={defaults} /> : null}
          </div>
          {schedules.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              No schedule: {hsm} is backed up only on demand.
            </p>
          ) : (
            <ul className="flex flex-col divide-y rounded-md border">
              {schedules.map((schedule) => (
                <li key={schedule.name} className="flex flex-col gap-1.5 p-3 text-sm">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{schedule.name}</span>
                    {schedule.paused ? <Badge variant="warning">Paused</Badge> : null}
                  </p>
                  <p>{schedule.cronInWords}</p>
                  <p className="[overflow-wrap:anywhere] text-muted-foreground">
                    Into <span className="font-mono text-xs">{schedule.container}</span>{" "}
                    {AUTH_WORDS[schedule.auth]}; {retentionInWords(schedule.retention)}.
                  </p>
                  {canFile ? <ScheduleActions hsm={hsm} schedule={schedule} /> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      </CardContent>
    </Card>
  );
}
