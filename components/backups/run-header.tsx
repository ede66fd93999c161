import type { BackupRun } from "@/lib/backup/runs";
import { Badge, type BadgeView } from "@/components/ui/badge";
import { When } from "@/components/data-table/date-text";
import { Fact, FactList } from "@/components/layout/fact-list";

const OUTCOMES: Record<BackupRun["state"], BadgeView> = {
  running: { label: "Running", variant: "secondary" },
  succeeded: { label: "Succeeded", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  missed: { label: "Missed", variant: "warning" },
  interrupted: { label: "Interrupted", variant: "destructive" },
};

export function RunOutcomeBadge({ state }: { state: BackupRun["state"] }) {
  const { label, variant } = OUTCOMES[state];
  return <Badge variant={variant}>{label}</Badge>;
}

/** "4 min 12 s", "850 ms": how long a run took, to the second. */
export function runDurationInWords(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  const seconds = Math.round(ms / 1_000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

function triggerInWords(run: BackupRun): string {
  if (run.trigger === "schedule") return `Scheduled (${run.scheduleName ?? "a deleted schedule"})`;
  if (run.trigger === "safety") return "Safety backup before a full restore";
  return run.requestedBy ? `Back up now, by ${run.requestedBy.name}` : "Back up now";
}

/** What a run was and how it ended: the facts at the top of its page. */
export function RunFacts({ run, now }: { run: BackupRun; now: number }) {
  return (
    <FactList>
      <Fact term="HSM">{run.hsm}</Fact>
      <Fact term="Trigger">{triggerInWords(run)}</Fact>
      <Fact term="Outcome">
        <RunOutcomeBadge state={run.state} />
      </Fact>
      {run.scheduledFor !== null ? (
        <Fact term="Scheduled for">
          <When value={run.scheduledFor} now={now} withTime relative="inline" />
        </Fact>
      ) : null}
      <Fact term="Started">
        <When value={run.startedAt} now={now} empty="Not started" withTime relative="inline" />
      </Fact>
      <Fact term="Finished">
        <When
          value={run.finishedAt}
          now={now}
          empty={run.state === "running" ? "Still running" : "—"}
          withTime
          relative="inline"
        />
      </Fact>
      <Fact term="Duration">
        {run.durationMs === null ? "—" : runDurationInWords(run.durationMs)}
      </Fact>
      <Fact term="Folder">
        {run.folderUrl ? (
          <span className="font-mono text-xs break-all">{run.folderUrl}</span>
        ) : (
          <span className="text-muted-foreground">None reported</span>
        )}
      </Fact>
      {run.folderDeletedAt !== null ? (
        <Fact term="Folder deleted">
          <When value={run.folderDeletedAt} now={now} withTime relative="inline" /> (retention)
        </Fact>
      ) : null}
      {run.error ? (
        <Fact term="Error">
          <span className="text-destructive">{run.error}</span>
        </Fact>
      ) : null}
    </FactList>
  );
}
