import { createHash } from "node:crypto";
import fs from "node:fs";
import { rawRequest } from "@keyward/local-https";
import Database from "better-sqlite3";
import pg from "pg";

import { loadEnv } from "@/lib/env";
import { toolToken } from "@/e2e/fixtures/emulator";
import type { LocalJson } from "@/scripts/lib/local-json";

/*
 * What a refused request must leave as it was: the portal's own records (read from its database
 * directly, SQLite or PostgreSQL) and each HSM's keys and role assignments (read from the
 * emulator as its administrator, the tool client). Each is a set of row digests, so that a
 * difference names what appeared or went.
 */

/** Tables a request can change. Background jobs write the others (inventory, leases, sessions' clocks). */
const PORTAL_TABLES = [
  "change_request",
  "change_request_item",
  "change_request_decision",
  "change_request_event",
  "approval_policy",
  "access_review",
  "access_review_item",
  "backup_schedule",
  "calendar_feed",
  "sod_rule_setting",
  "sod_setting_change",
  "out_of_band_change",
  "role_grant",
  "key_template",
  "select id from session",
  "select * from backup_run where requested_by is not null",
  "select * from sync_run where requested_by is not null",
];

export type Snapshot = Map<string, Set<string>>;

const digest = (row: unknown) =>
  createHash("sha256").update(JSON.stringify(row)).digest("base64url").slice(0, 16);

async function queryPortal(stack: LocalJson, sql: string[]): Promise<unknown[][]> {
  if (stack.database.kind === "sqlite") {
    const database = new Database(stack.database.location, { readonly: true });
    try {
      return sql.map((s) => database.prepare(s).all());
    } finally {
      database.close();
    }
  }
  const env = loadEnv();
  if (env.database.kind !== "postgres") throw new Error("the stack's PostgreSQL URL is unknown");
  const client = new pg.Client({ connectionString: env.database.url });
  await client.connect();
  try {
    const results: unknown[][] = [];
    for (const s of sql) results.push((await client.query(s)).rows);
    return results;
  } finally {
    await client.end();
  }
}

export async function snapshotPortal(stack: LocalJson): Promise<Snapshot> {
  const sql = PORTAL_TABLES.map((t) => (t.startsWith("select") ? t : `select * from ${t}`));
  const results = await queryPortal(stack, sql);
  return new Map(PORTAL_TABLES.map((t, i) => [t, new Set(results[i]!.map(digest))]));
}

/**
 * The audit events since `afterSeq`: those of the requests the portal answered with an id in
 * `ids`, the other changes recorded meanwhile, and any event under an id that starts with
 * `clientPrefix` (the ids the client sent, which the portal must never adopt).
 */
export async function auditSince(
  stack: LocalJson,
  ids: ReadonlySet<string>,
  clientPrefix: string,
  afterSeq: number,
) {
  const [events, head] = await queryPortal(stack, [
    `select action, outcome, request_id from audit_event where seq > ${afterSeq}`,
    "select coalesce(max(seq), 0) as seq from audit_event",
  ]);
  const all = events as { action: string; outcome: string; request_id: string | null }[];
  const ours = (e: (typeof all)[number]) => e.request_id !== null && ids.has(e.request_id);
  return {
    tagged: all.filter(ours),
    othersSucceeded: all.filter((e) => !ours(e) && e.outcome === "succeeded"),
    underClientIds: all.filter((e) => e.request_id?.startsWith(clientPrefix)),
    headSeq: Number((head![0] as { seq: number | string }).seq),
  };
}

/** Every page of an HSM list (`{value, nextLink}`). */
async function listAll(url: string, caPem: string, token: string): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let next: string | null = url; next;) {
    const response = await rawRequest(next, "GET", { caPem, token });
    if (response.status !== 200) throw new Error(`GET ${next}: ${response.status}`);
    const page = response.body as { value: unknown[]; nextLink?: string | null };
    items.push(...page.value);
    next = page.nextLink ?? null;
  }
  return items;
}

/** Each HSM's keys (their current version and attributes), deleted keys, roles and assignments. */
export async function snapshotHsms(stack: LocalJson): Promise<Snapshot> {
  const caPem = fs.readFileSync(stack.tls.caFile, "utf8");
  const token = await toolToken(stack, caPem);
  const snapshot: Snapshot = new Map();
  const api = "api-version=7.6";
  const rbac = "providers/Microsoft.Authorization";
  for (const hsm of stack.hsms) {
    const keys = (await listAll(`${hsm.url}/keys?${api}`, caPem, token)) as { kid: string }[];
    const scopes = ["", ...keys.map((k) => `/keys/${k.kid.split("/")[4]}`)];
    const assignments = [];
    for (const scope of scopes)
      assignments.push(
        ...(await listAll(`${hsm.url}${scope}/${rbac}/roleAssignments?${api}`, caPem, token)),
      );
    snapshot.set(`${hsm.name} keys`, new Set(keys.map(digest)));
    snapshot.set(`${hsm.name} role assignments`, new Set(assignments.map(digest)));
    for (const list of ["deletedkeys", `${rbac}/roleDefinitions`])
      snapshot.set(
        `${hsm.name} ${list}`,
        new Set((await listAll(`${hsm.url}/${list}?${api}`, caPem, token)).map(digest)),
      );
  }
  return snapshot;
}

/** Emulator operations that change an HSM (`DeletedKeyList` reads; `KeyDelete` writes). */
const HSM_WRITE =
  /(Create|Update|Delete|Purge|Recover|Import|Restore|Rotate|Advance)$|RestoreStart/;

/**
 * Per HSM, the id of its latest emulator audit entry, and how many changes the tool client (other
 * specs acting behind the portal's back) made after the ids of `since`.
 */
export async function hsmActivity(stack: LocalJson, since?: Map<string, number>) {
  const caPem = fs.readFileSync(stack.tls.caFile, "utf8");
  const token = await toolToken(stack, caPem);
  const tool = (
    JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as {
      oid: string;
    }
  ).oid;
  const heads = new Map<string, number>();
  const toolChanges: string[] = [];
  for (const hsm of stack.hsms) {
    let after = since?.get(hsm.name) ?? 0;
    for (;;) {
      const url = `${hsm.url}/emulator/audit?after=${after}&limit=5000`;
      const response = await rawRequest(url, "GET", { caPem, token });
      if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
      const events = (response.body as { value: AuditEntry[] }).value;
      for (const e of events)
        if (e.caller === tool && e.outcome === "success" && HSM_WRITE.test(e.operation))
          toolChanges.push(`${hsm.name} ${e.operation} ${e.keyName ?? ""}`);
      after = events.at(-1)?.id ?? after;
      // Reading the log is itself logged: a short page is the last.
      if (events.length < 5000) break;
    }
    heads.set(hsm.name, after);
  }
  return { heads, toolChanges };
}

interface AuditEntry {
  id: number;
  caller: string | null;
  operation: string;
  keyName: string | null;
  outcome: string;
}

/** What differs between two snapshots, per table or list: rows that appeared and rows that went. */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const found: string[] = [];
  for (const [name, rows] of after) {
    const earlier = before.get(name) ?? new Set<string>();
    const added = [...rows].filter((r) => !earlier.has(r)).length;
    const removed = [...earlier].filter((r) => !rows.has(r)).length;
    if (added + removed > 0) found.push(`${name}: ${added} new or changed, ${removed} gone`);
  }
  return found;
}
