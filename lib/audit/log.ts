import "server-only";

import { csvHeaderLine, csvLine, jsonLine } from "@/lib/audit/export";
import type { AuditFilters, AuditPageQuery } from "@/lib/audit/filters";
import {
  auditEventsMatching,
  findAuditPage,
  knownActions,
  type AuditPage,
} from "@/lib/audit/query";
import type { AuditEvent } from "@/lib/audit/types";
import { latestVerification } from "@/lib/audit/verification";
import { getDb } from "@/lib/db/client";

/*
 * The audit log as pages and routes read it (they never open the database themselves). Callers
 * check `audit.read` first: the log names every actor and every change.
 */

/** One page of the log for a filter and cursor, newest first. */
export async function auditPage(query: AuditPageQuery): Promise<AuditPage> {
  return findAuditPage(await getDb(), query);
}

export type AuditExportFormat = "csv" | "jsonl";

/**
 * The events of a filter as a byte stream, read in keyset batches as the client takes them
 * (`pull`): a slow download never makes the server hold more than a batch.
 */
export function auditExportStream(
  filters: AuditFilters,
  format: AuditExportFormat,
  onEnd: (rows: number, error?: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncGenerator<AuditEvent, void> | undefined;
  let rows = 0;
  const line = format === "csv" ? csvLine : jsonLine;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      iterator = auditEventsMatching(await getDb(), filters);
      if (format === "csv") controller.enqueue(encoder.encode(csvHeaderLine()));
    },
    async pull(controller) {
      try {
        // Up to a batch of lines per pull: fewer, larger chunks than one per event.
        let chunk = "";
        for (let i = 0; i < 500; i += 1) {
          const next = await iterator!.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            onEnd(rows);
            return;
          }
          rows += 1;
          chunk += line(next.value);
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        onEnd(rows, error);
        controller.error(error);
      }
    },
    async cancel() {
      await iterator?.return(undefined);
      onEnd(rows, new Error("the client stopped the download"));
    },
  });
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
