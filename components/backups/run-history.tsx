import type { Route } from "next";
import Link from "next/link";

import { durationInWords, OUTCOME_WORDS, triggerInWords } from "@/lib/backup/run-words";
import type { BackupRun } from "@/lib/backup/runs";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { When } from "@/components/data-table/date-text";

/** The run history: one row a run (or missed time), each linking to the run's page. */
export function RunHistory({ runs, now }: { runs: BackupRun[]; now: number }) {
  return (
    <Table scrollLabel="Backup runs">
      <TableHeader>
        <TableRow>
          <TableHead>Started</TableHead>
          <TableHead>HSM</TableHead>
          <TableHead>Trigger</TableHead>
          <TableHead>Outcome</TableHead>
          <TableHead>Duration</TableHead>
          <TableHead>Requested by</TableHead>
          <TableHead>Error</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.map((run) => {
          const outcome = OUTCOME_WORDS[run.state];
          return (
            <TableRow key={run.id}>
              <TableCell className="whitespace-nowrap">
                <Link
                  href={`/backups/runs/${run.id}` as Route}
                  prefetch={false}
                  aria-label={`Backup run of ${run.hsm}, ${outcome.label.toLowerCase()}`}
                  className="ui-link text-primary underline"
                >
                  <When
                    value={run.startedAt ?? run.scheduledFor ?? run.createdAt}
                    now={now}
                    withTime
                  />
                </Link>
                {run.startedAt === null && run.scheduledFor !== null ? (
                  <span className="text-xs text-muted-foreground"> (due)</span>
                ) : null}
              </TableCell>
              <TableCell>{run.hsm}</TableCell>
              <TableCell>{triggerInWords(run.trigger, run.scheduleName)}</TableCell>
              <TableCell>
                <Badge variant={outcome.tone}>{outcome.label}</Badge>
              </TableCell>
              <TableCell className="tabular-nums">
                {durationInWords(run.durationMs) ?? "—"}
              </TableCell>
              <TableCell>{run.requestedBy?.name ?? "—"}</TableCell>
              <TableCell className="max-w-96 min-w-48 text-sm [overflow-wrap:anywhere] whitespace-normal text-muted-foreground">
                {run.error ?? "—"}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
