"use client";

import type { DateView } from "@/lib/format/date";
import { Badge, type BadgeView } from "@/components/ui/badge";
import { TableBody, TableCell, TableRow } from "@/components/ui/table";
import { DateText } from "@/components/data-table/date-text";

/** One audit event as the table shows it, formatted on the server. */
export interface AuditEventRow {
  seq: number;
  at: DateView;
  actor: { id: string; name: string; title: string; kind: string | null };
  action: string;
  target: string;
  outcome: BadgeView;
  requestId: string | null;
  prevHash: string;
  hash: string;
  /** The detail as indented JSON. */
  detail: string;
}

/*
 * A client component on purpose, as the keys table's rows: the server hands over 25 small row
 * objects instead of the element tree of 25 events with their details, which the RSC payload
 * would carry a second time next to the HTML.
 *
 * Each event is one line (time, actor, action, target, outcome) and under it a native <details>
 * that opens to the detail, the request id and the chain's hashes: it opens without JavaScript
 * and is announced as a disclosure.
 */
export function AuditEventRows({ rows }: { rows: AuditEventRow[] }) {
  return (
    <TableBody>
      {rows.map((row) => (
        <EventRows key={row.seq} row={row} />
      ))}
    </TableBody>
  );
}

function EventRows({ row }: { row: AuditEventRow }) {
  return (
    <>
      <TableRow className="border-b-0" data-seq={row.seq}>
        <TableCell>
          <DateText view={row.at} />
        </TableCell>
        <TableCell className="min-w-40 whitespace-normal">
          <span title={row.actor.title}>{row.actor.name}</span>
          {row.actor.kind === null ? null : (
            <span className="block text-xs text-muted-foreground">{row.actor.kind}</span>
          )}
        </TableCell>
        <TableCell className="font-mono text-xs">{row.action}</TableCell>
        <TableCell className="min-w-48 break-words whitespace-normal">{row.target}</TableCell>
        <TableCell>
          <Badge variant={row.outcome.variant}>{row.outcome.label}</Badge>
        </TableCell>
      </TableRow>
      <TableRow className="hover:bg-transparent">
        <TableCell colSpan={5} className="max-w-0 pt-0 whitespace-normal">
          {/* On a phone the table scrolls sideways: the details stay in view and wrap to it.
              Their styles are one class in globals.css: 25 events would repeat them otherwise. */}
          <details className="audit-event-details">
            <summary>Event {row.seq}: detail and hashes</summary>
            <dl>
              <dt>Actor id</dt>
              <dd>{row.actor.id}</dd>
              <dt>Request id</dt>
              <dd>{row.requestId ?? "—"}</dd>
              <dt>Previous hash</dt>
              <dd>{row.prevHash}</dd>
              <dt>Hash</dt>
              <dd>{row.hash}</dd>
              <dt>Detail</dt>
              <dd>
                <pre>{row.detail}</pre>
              </dd>
            </dl>
          </details>
        </TableCell>
      </TableRow>
    </>
  );
}
