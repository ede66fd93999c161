import "server-only";

import { csvHeaderLine, csvLine, jsonLine } from "@/lib/audit/export";
import type { AuditFilters, AuditPageQuery } from "@/lib/audit/filters";
import {
  auditEventsMatching,
  findAuditPage,
  knownActions,
  type AuditPage,
} from "@/lib/audit/query";
import { latestVerification } from "@/lib/audit/verification";
import { getDb } from "@/lib/db/client";
import { pullStream } from "@/lib/http/pull-stream";

/*
 * The audit log as pages and routes read it (they never open the database themselves). Callers
 * check `audit.read` first: the log names every actor and every change.
 */

/** One page of the log for a filter and cursor, newest first. */
export async function auditPage(query: AuditPageQuery): Promise<AuditPage> {
  return findAuditPage(await getDb(), query);
}

export type AuditExportFormat = "csv" | "jsonl";

/** The events of a filter as a byte stream, read in keyset batches as the client takes them. */
export function auditExportStream(
  filters: AuditFilters,
  format: AuditExportFormat,
  onEnd: (rows: number, error?: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const line = format === "csv" ? csvLine : jsonLine;
  let rows = 0;
  async function* chunks(): AsyncGenerator<Uint8Array, void> {
    if (format === "csv") yield encoder.encode(csvHeaderLine());
    // Up to a batch of lines per chunk: fewer, larger chunks than one per event.
    let chunk = "";
    for await (const event of auditEventsMatching(await getDb(), filters)) {
      rows += 1;
      chunk += line(event);
      if (rows % 500 === 0) {
        yield encoder.encode(chunk);
        chunk = "";
      }
    }
    if (chunk) yield encoder.encode(chunk);
  }
  return pullStream(chunks(), (error) => onEnd(rows, error));
}

/**
 * What the audit page shows: the page of events (paging back past the newest lands on the
 * newest page, full, rather than a stub), the actions for suggestions, the chain's last
 * verification, and the time it was read at.
 */
export async function auditLogView(query: AuditPageQuery) {
  const db = await getDb();
  let page = await findAuditPage(db, query);
  if (query.after !== undefined && page.newer === null)
    page = await findAuditPage(db, { ...query, after: undefined });
  const [actions, verification] = await Promise.all([knownActions(db), latestVerification(db)]);
  return { page, actions, verification, now: Date.now() };
}
