import type { AuditEvent } from "@/lib/audit/types";
import type { AuditEventTable } from "@/lib/db/schema/audit/table";
import { csvCell } from "@/lib/format/csv";

/*
 * The audit log as evidence outside the portal: the API's event shape, and the same events as
 * CSV rows (the house CSV, safe to open in a spreadsheet) or JSON lines, one event per line.
 * Every column the chain hashes is kept, so an exported JSON line can be re-hashed by hand.
 * Pure.
 */

/** An event as the API answers it: `at` in ISO 8601 UTC, column names in camel case. */
export function apiEvent(event: AuditEvent) {
  return {
    seq: event.seq,
    at: new Date(event.at).toISOString(),
    actor: event.actor,
    action: event.action,
    target: event.target,
    outcome: event.outcome,
    detail: event.detail,
    requestId: event.requestId,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
export type ApiAuditEvent = ReturnType<typeof apiEvent>;

export const AUDIT_CSV_HEADER = [
  "seq",
  "at",
  "actor_type",
  "actor_id",
  "actor_name",
  "action",
  "target",
  "outcome",
  "detail",
  "request_id",
  "prev_hash",
  "hash",
] as const;

const CRLF = "\r\n";

export function csvHeaderLine(): string {
  return AUDIT_CSV_HEADER.join(",") + CRLF;
}

export function csvLine(event: AuditEvent): string {
  return (
    [
      event.seq,
      new Date(event.at).toISOString(),
      event.actor.type,
      event.actor.id,
      event.actor.name,
      event.action,
      JSON.stringify(event.target),
      event.outcome,
      JSON.stringify(event.detail),
      event.requestId,
      event.prevHash,
      event.hash,
    ]
      .map(csvCell)
      .join(",") + CRLF
  );
}

/** One JSON line: U+2028/U+2029 are escaped by JSON.stringify, so a line is always one line. */
export function jsonLine(event: AuditEvent): string {
  return JSON.stringify(apiEvent(event)) + "\n";
}

/**
 * The same line as `jsonLine(fromRow(row))`, spliced from the stored columns: `actor`, `target`
 * and `detail` are kept as canonical JSON (compact, RFC 8785), which parsing and stringifying
 * again would reproduce byte for byte. A million-event extract skips three million parses.
 */
export function jsonLineOfRow(row: AuditEventTable): string {
  return (
    `{"seq":${row.seq},"at":"${new Date(row.at).toISOString()}","actor":${row.actor},` +
    `"action":${JSON.stringify(row.action)},"target":${row.target},` +
    `"outcome":${JSON.stringify(row.outcome)},"detail":${row.detail},` +
    `"requestId":${JSON.stringify(row.request_id)},"prevHash":${JSON.stringify(row.prev_hash)},` +
    `"hash":${JSON.stringify(row.hash)}}\n`
  );
}
