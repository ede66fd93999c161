import { formatDuration } from "@/lib/format/duration";
import type { SyncRun } from "@/lib/sync/runs";
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

const STATUS_VARIANT = {
  running: "secondary",
  succeeded: "success",
  partial: "warning",
  failed: "destructive",
  abandoned: "outline",
} as const;

function elapsed(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms / 1000);
}

export function SyncRunsTable({ runs, now }: { runs: SyncRun[]; now: number }) {
  if (runs.length === 0)
    return <p className="text-sm text-muted-foreground">No sync has run yet.</p>;
  return (
    <Table scrollLabel="Recent syncs">
      <TableHeader>
        <TableRow>
          <TableHead>Started</TableHead>
          <TableHead>HSM</TableHead>
          <TableHead>Kind</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Duration</TableHead>
          <TableHead className="text-right">Calls</TableHead>
          <TableHead className="text-right">Throttled</TableHead>
          <TableHead className="text-right whitespace-normal">Keys re-read</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.map((run) => (
          <TableRow key={run.id}>
            <TableCell>
              <When value={run.started_at} now={now} withTime />
            </TableCell>
            <TableCell>{run.hsm}</TableCell>
            <TableCell className="min-w-32 whitespace-normal">
              {run.kind}
              {run.key_name ? ` (${run.key_name})` : ""} · {run.trigger}
            </TableCell>
            <TableCell className="min-w-40 whitespace-normal">
              <Badge variant={STATUS_VARIANT[run.status]}>{run.status}</Badge>
              {run.error ? (
                <p className="mt-1 text-xs break-words text-muted-foreground">{run.error}</p>
              ) : null}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {run.finished_at === null ? "—" : elapsed(run.finished_at - run.started_at)}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {run.calls.toLocaleString("en")}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {run.throttled.toLocaleString("en")}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {run.keys_refreshed.toLocaleString("en")}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
