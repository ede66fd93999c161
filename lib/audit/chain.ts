import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

import type { AuditEvent, AuditEventInput } from "@/lib/audit/types";
import type { AuditEventTable } from "@/lib/db/schema/audit/table";

/*
 * The hash chain, pure. Each event's hash is SHA-256 over the RFC 8785 (JCS) canonical JSON of
 * every other column and the previous event's hash, so that changing, removing or reordering a
 * row breaks the chain at that row. `at` is hashed as its ISO 8601 UTC text: the same on every
 * database and readable by anyone re-computing a hash by hand.
 */

/** The `prev_hash` of event 1. */
export const GENESIS_HASH = "0".repeat(64);

/** The document whose canonical form is hashed; its member names are the table's columns. */
export function hashedDocument(event: AuditEventInput & { seq: number; prevHash: string }) {
  return {
    seq: event.seq,
    at: new Date(event.at).toISOString(),
    actor: event.actor,
    action: event.action,
    target: event.target,
    outcome: event.outcome,
    detail: event.detail,
    request_id: event.requestId,
    prev_hash: event.prevHash,
  };
}

export function eventHash(event: AuditEventInput & { seq: number; prevHash: string }): string {
  const canonical = canonicalize(hashedDocument(event));
  if (canonical === undefined) throw new TypeError("an audit event must be a JSON object");
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

/** JCS text of a JSON value (the writer stores `actor`, `target` and `detail` this way). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("not a JSON value");
  return text;
}

/**
 * The hash of a stored row, for verifying millions of them: the writer stores `actor`, `target`
 * and `detail` as their JCS text, so the document's canonical form is those texts joined under
 * the sorted member names, with no parsing. Equal to `eventHash` of the parsed row for every
 * row the portal wrote; a row whose JSON text was edited in any way, even into an equivalent
 * form, no longer matches.
 */
export function storedEventHash(row: Omit<AuditEventTable, "actor_id">): string {
  const canonical =
    `{"action":${canonicalJson(row.action)},"actor":${row.actor},` +
    `"at":${canonicalJson(new Date(row.at).toISOString())},"detail":${row.detail},` +
    `"outcome":${canonicalJson(row.outcome)},"prev_hash":${canonicalJson(row.prev_hash)},` +
    `"request_id":${row.request_id === null ? "null" : canonicalJson(row.request_id)},` +
    `"seq":${canonicalJson(row.seq)},"target":${row.target}}`;
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

/** The next link of the chain after `head`. */
export function chainLink(input: AuditEventInput, head: { seq: number; hash: string }): AuditEvent {
  const seq = head.seq + 1;
  const prevHash = head.hash;
  return { ...input, seq, prevHash, hash: eventHash({ ...input, seq, prevHash }) };
}
