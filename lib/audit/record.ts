import "server-only";

import { canonicalJson, chainLink } from "@/lib/audit/chain";
import { redactDetail } from "@/lib/audit/redact";
import type { AuditEvent, AuditEventInput } from "@/lib/audit/types";
import { isPostgres, type Db } from "@/lib/db/client";
import type { AuditEventTable } from "@/lib/db/schema/audit/table";

/*
 * Appending to the chain. The JSON columns are stored as their canonical (JCS) text, so that a
 * verifier can hash a row without parsing it (see storedEventHash). Call it inside the transaction of the change it records: the first
 * statement moves the head row, which holds the row lock on PostgreSQL (and, with transactions
 * that begin IMMEDIATE, SQLite's write lock) until the transaction ends, so two portal
 * instances append one after the other and never fork the chain.
 */

export function toRow(event: AuditEvent): AuditEventTable {
  return {
    seq: event.seq,
    at: event.at,
    actor: canonicalJson(event.actor),
    actor_id: event.actor.id,
    action: event.action,
    target: canonicalJson(event.target),
    outcome: event.outcome,
    detail: canonicalJson(event.detail),
    request_id: event.requestId,
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

export function fromRow(row: AuditEventTable): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    actor: JSON.parse(row.actor) as AuditEvent["actor"],
    action: row.action,
    target: JSON.parse(row.target) as AuditEvent["target"],
    outcome: row.outcome as AuditEvent["outcome"],
    detail: JSON.parse(row.detail) as AuditEvent["detail"],
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Appends one event in the caller's transaction and returns it as stored. */
export async function appendAuditEvent(trx: Db, input: AuditEventInput): Promise<AuditEvent> {
  const moved = await trx
    .updateTable("audit_head")
    .set((eb) => ({ seq: eb("seq", "+", 1) }))
    .where("id", "=", 1)
    .returning(["seq", "hash", "at"])
    .executeTakeFirst();
  if (!moved) throw new Error("the audit log has no head row (the database was not migrated)");
  // Time never runs backwards along the chain, so a time range is a range of seq (several
  // instances' clocks may differ by a little: an event then takes its predecessor's time).
  const at = Math.max(input.at, moved.at);
  // JSON round trip: what is hashed is exactly what a reader parses back from the row.
  const detail = JSON.parse(JSON.stringify(redactDetail(input.detail))) as AuditEvent["detail"];
  const target = JSON.parse(JSON.stringify(input.target)) as AuditEvent["target"];
  const event = chainLink(
    { ...input, at, detail, target },
    { seq: moved.seq - 1, hash: moved.hash },
  );
  if (isPostgres(trx)) {
    // One round trip fewer while the head is locked: the insert rides along as a
    // data-modifying WITH, which PostgreSQL always runs to completion.
    await trx
      .with("appended", (db) => db.insertInto("audit_event").values(toRow(event)))
      .updateTable("audit_head")
      .set({ hash: event.hash, at: event.at })
      .where("id", "=", 1)
      .execute();
  } else {
    await trx.insertInto("audit_event").values(toRow(event)).execute();
    await trx
      .updateTable("audit_head")
      .set({ hash: event.hash, at: event.at })
      .where("id", "=", 1)
      .execute();
  }
  return event;
}
