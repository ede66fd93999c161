import type { EmulatorDb } from "./store/database";

/*
 * Every call, like Managed HSM's AuditEvent log: when, who (the token's oid), which operation
 * on which key, and how it ended.
 */

export interface AuditEvent {
  id: number;
  time: string;
  hsm: string;
  requestId: string;
  caller: string | null;
  operation: string;
  keyName: string | null;
  status: number;
  outcome: "success" | "denied" | "failed";
}

/** Status 0: the connection was reset without an answer (an injected fault). */
export function outcomeOf(status: number): AuditEvent["outcome"] {
  if (status === 0) return "failed";
  if (status < 400) return "success";
  return status === 401 || status === 403 ? "denied" : "failed";
}

export function recordAudit(
  db: EmulatorDb,
  event: Omit<AuditEvent, "id" | "time" | "outcome"> & { time: number },
): void {
  db.prepare(
    "insert into audit (time, hsm, request_id, caller, operation, key_name, status, outcome) values (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(
    event.time,
    event.hsm,
    event.requestId,
    event.caller,
    event.operation,
    event.keyName,
    event.status,
    outcomeOf(event.status),
  );
}

export function readAudit(
  db: EmulatorDb,
  hsm: string,
  afterId: number,
  limit: number,
): AuditEvent[] {
  const rows = db
    .prepare("select * from audit where hsm = ? and id > ? order by id limit ?")
    .all(hsm, afterId, limit) as {
    id: number;
    time: number;
    hsm: string;
    request_id: string;
    caller: string | null;
    operation: string;
    key_name: string | null;
    status: number;
    outcome: AuditEvent["outcome"];
  }[];
  return rows.map((row) => ({
    id: row.id,
    time: new Date(row.time).toISOString(),
    hsm: row.hsm,
    requestId: row.request_id,
    caller: row.caller,
    operation: row.operation,
    keyName: row.key_name,
    status: row.status,
    outcome: row.outcome,
  }));
}
