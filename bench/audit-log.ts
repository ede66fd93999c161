// npm run bench:audit-log – the audit log's page and export queries over 1,000,000 events, both databases
import { performance } from "node:perf_hooks";

import type { AuditFilters, AuditPageQuery } from "@/lib/audit/filters";
import { auditEventsMatching, findAuditPage } from "@/lib/audit/query";
import type { Db } from "@/lib/db/client";
import { availableDialects, createTestDatabase } from "@/lib/db/testing/databases";

import { startBench } from "./lib/report";

/*
 * A million events written straight into the table (the chain's hashes are not computed: the
 * reader never checks them, and hashing would only make the set-up slower), then each kind of
 * page the audit page asks for, timed as the median of five runs after one warm-up. On
 * PostgreSQL set TEST_DATABASE_URL. Arguments: the number of events, and `sqlite` or `postgres`
 * to run one database only. Prints figures; asserts nothing.
 */

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const BATCH = 900;
const T0 = Date.UTC(2025, 0, 1);
const ACTIONS = [
  "session.start",
  "session.end",
  "sod.rule.update",
  "sod.what-if",
  "calendar.feed.create",
  "calendar.feed.revoke",
  "sync.run",
  "key.rotate",
  "key.create",
  "request.create",
  "request.approve",
  "request.reject",
  "backup.run",
];

function row(seq: number) {
  const user = seq % 97;
  const outcome = seq % 211 === 0 ? "denied" : seq % 53 === 0 ? "failed" : "succeeded";
  const actor = { type: "user", id: `user-${user}`, name: `User number ${user}` };
  return {
    seq,
    at: T0 + seq * 30_000,
    actor: JSON.stringify(actor),
    actor_id: actor.id,
    action: ACTIONS[seq % ACTIONS.length]!,
    target: JSON.stringify({ hsm: "keyward-weu", key: `key-${seq % 5003}` }),
    outcome,
    detail: JSON.stringify({ status: 200, note: `event ${seq}` }),
    request_id: `req-${seq.toString(16).padStart(8, "0")}`,
    prev_hash: "0".repeat(64),
    hash: seq.toString(16).padStart(64, "0"),
  };
}

async function fill(db: Db) {
  const started = performance.now();
  for (let first = 1; first <= EVENTS; first += BATCH * 20)
    await db.transaction().execute(async (trx) => {
      for (let start = first; start < first + BATCH * 20 && start <= EVENTS; start += BATCH) {
        const rows = [];
        for (let seq = start; seq < start + BATCH && seq <= EVENTS; seq += 1) rows.push(row(seq));
        await trx.insertInto("audit_event").values(rows).execute();
      }
    });
  await db.updateTable("audit_head").set({ seq: EVENTS }).execute();
  return performance.now() - started;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function time(run: () => Promise<unknown>): Promise<number> {
  await run();
  const runs: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    await run();
    runs.push(performance.now() - started);
  }
  return median(runs);
}

const middle = Math.floor(EVENTS / 2);
const CASES: [string, AuditPageQuery][] = [
  ["newest page", {}],
  ["page in the middle (before)", { before: middle }],
  ["page near the oldest", { before: 100 }],
  ["newer page (after)", { after: middle }],
  ["actor id", { actor: "user-42" }],
  ["actor name text", { actor: "number 42" }],
  ["action exact", { action: "key.rotate" }],
  ["action prefix", { action: "request." }],
  ["outcome denied (0.5 %)", { outcome: "denied" }],
  ["one day in the middle", { from: new Date(T0 + middle * 30_000).toISOString().slice(0, 10) }],
  ["target text", { target: "key-4242" }],
  ["q: a request id (one event)", { q: `req-${middle.toString(16).padStart(8, "0")}` }],
  ["q: common text", { q: "number 7" }],
];

async function exportRate(db: Db, filters: AuditFilters, limit: number) {
  const started = performance.now();
  let rows = 0;
  for await (const event of auditEventsMatching(db, filters)) {
    void event;
    rows += 1;
    if (rows >= limit) break;
  }
  return Math.round(rows / ((performance.now() - started) / 1000));
}

const only = process.argv[3];
const bench = await startBench("bench:audit-log");
for (const dialect of availableDialects().filter((d) => !only || d === only)) {
  const database = await createTestDatabase(dialect);
  try {
    const db = await database.openMigrated();
    const filled = await fill(db);
    console.log(
      `\n${dialect}: ${EVENTS.toLocaleString("en")} events written in ${(filled / 1000).toFixed(1)} s`,
    );
    for (const [name, query] of CASES) {
      const ms = await time(() => findAuditPage(db, { ...query, limit: 50 }));
      bench.record({
        name: `${dialect}: ${name}`,
        raw: ms,
        unit: "ms",
        kind: "time",
      });
      console.log(`  ${name.padEnd(32)} ${ms.toFixed(1).padStart(8)} ms`);
    }
    const exported = await exportRate(db, {}, 200_000);
    bench.record({ name: `${dialect}: export`, raw: exported, unit: "events/s", kind: "cpu-rate" });
    console.log(`  export, no filter                ${exported.toLocaleString("en")} events/s`);
  } finally {
    await database.dispose();
  }
}
await bench.finish();
