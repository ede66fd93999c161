import { describeTarget } from "@/lib/audit/describe";
import type { AuditEvent } from "@/lib/audit/types";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { OutcomeBadge } from "@/components/audit/outcome-badge";
import { When } from "@/components/data-table/date-text";

const ACTOR_KINDS = {
  user: "user",
  application: "application",
  system: "portal job",
  anonymous: "no session",
} as const;

/**
 * The events of a page, newest first: one line each (time, actor, action, target, outcome), and
 * under it a native <details> that opens to the detail, the request id and the chain's hashes.
 * It opens without JavaScript and is announced as a disclosure.
 */
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
      <TableBody>
        {events.map((event) => (
          <EventRows key={event.seq} event={event} now={now} />
        ))}
      </TableBody>
    </Table>
  );
}

function EventRows({ event, now }: { event: AuditEvent; now: number }) {
  return (
    <>
      <TableRow className="border-b-0" data-seq={event.seq}>
        <TableCell>
          <When value={event.at} now={now} withTime />
        </TableCell>
        <TableCell className="min-w-40 whitespace-normal">
          <span title={`${ACTOR_KINDS[event.actor.type]} ${event.actor.id}`}>
            {event.actor.name}
          </span>
          {event.actor.type === "user" ? null : (
            <span className="block text-xs text-muted-foreground">
              {ACTOR_KINDS[event.actor.type]}
            </span>
          )}
        </TableCell>
        <TableCell className="font-mono text-xs">{event.action}</TableCell>
        <TableCell className="min-w-48 break-words whitespace-normal">
          {describeTarget(event.target)}
        </TableCell>
        <TableCell>
          <OutcomeBadge outcome={event.outcome} />
        </TableCell>
      </TableRow>
      <TableRow className="hover:bg-transparent">
        <TableCell colSpan={5} className="max-w-0 pt-0 whitespace-normal">
          {/* On a phone the table scrolls sideways: the details stay in view and wrap to it.
              Their styles are one class in globals.css: 25 events would repeat them otherwise. */}
          <details className="audit-event-details">
            <summary>Event {event.seq}: detail and hashes</summary>
            <dl>
              <dt>Actor id</dt>
              <dd>{event.actor.id}</dd>
              <dt>Request id</dt>
              <dd>{event.requestId ?? "—"}</dd>
              <dt>Previous hash</dt>
              <dd>{event.prevHash}</dd>
              <dt>Hash</dt>
              <dd>{event.hash}</dd>
              <dt>Detail</dt>
              <dd>
                <pre>{JSON.stringify(event.detail, null, 2)}</pre>
              </dd>
            </dl>
          </details>
        </TableCell>
      </TableRow>
    </>
  );
}
