import { describeTarget, OUTCOME_LABELS } from "@/lib/audit/describe";
import type { AuditEvent, AuditOutcome } from "@/lib/audit/types";
import { dateView } from "@/lib/format/date";
import type { BadgeView } from "@/components/ui/badge";
import { Table, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AuditEventRows, type AuditEventRow } from "@/components/audit/audit-event-rows";

const ACTOR_KINDS = {
  user: "user",
  application: "application",
  system: "portal job",
  anonymous: "no session",
} as const;

// A refusal stands out in red, a failed change in amber.
const OUTCOME_VARIANTS = {
  succeeded: "success",
  failed: "warning",
  denied: "destructive",
} as const satisfies Record<AuditOutcome, BadgeView["variant"]>;

function eventRow(event: AuditEvent, now: number): AuditEventRow {
  const kind = ACTOR_KINDS[event.actor.type];
  return {
    seq: event.seq,
    at: dateView(event.at, now, true),
    actor: {
      id: event.actor.id,
      name: event.actor.name,
      title: `${kind} ${event.actor.id}`,
      kind: event.actor.type === "user" ? null : kind,
    },
    action: event.action,
    target: describeTarget(event.target),
    outcome: { label: OUTCOME_LABELS[event.outcome], variant: OUTCOME_VARIANTS[event.outcome] },
    requestId: event.requestId,
    prevHash: event.prevHash,
    hash: event.hash,
    detail: JSON.stringify(event.detail, null, 2),
  };
}

/** The events of a page, newest first, each with its detail and hashes a click away. */
export function AuditEventsTable({ events, now }: { events: AuditEvent[]; now: number }) {
  return (
    <Table scrollLabel="Audit events">
      <TableHeader>
        <TableRow>
          <TableHead>Time (UTC)</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Outcome</TableHead>
        </TableRow>
      </TableHeader>
      <AuditEventRows rows={events.map((event) => eventRow(event, now))} />
    </Table>
  );
}
