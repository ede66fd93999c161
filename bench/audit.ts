// npm run bench:audit – audit appends on SQLite and PostgreSQL (1 and 2 processes), and verifying a million events
import os from "node:os";
import { parseArgs } from "node:util";

import { auditedTransaction } from "@/lib/audit/service";
import { appendBulkEvents } from "@/lib/audit/testing/bulk-chain";
import { runAppendWorker } from "@/lib/audit/testing/run-append-worker";
import { verifyChain } from "@/lib/audit/verification";
import type { Db } from "@/lib/db/client";
import { availableDialects, createTestDatabase, type Dialect } from "@/lib/db/testing/databases";

import { startBench } from "./lib/report";

/*
 * Appends go through the real service (auditedTransaction: one transaction per event, the head
 * row moved first), one process in-process and two worker processes side by side, on a fresh
 * SQLite file and a fresh PostgreSQL schema. Then a chain of a million events is written in bulk
 * and verified the way `npm run audit:verify` does, sampling the process's memory meanwhile.
 * Targets: ≥ 1,000 events/s on SQLite; ≥ 500/s across two processes on PostgreSQL; a million
 * events verified in ≤ 15 s with memory flat.
 */

const { values: flags } = parseArgs({
  options: {
    appends: { type: "string", default: "4000" },
    events: { type: "string", default: "1000000" },
  },
});
const APPENDS = Number(flags.appends);
const VERIFY_EVENTS = Number(flags.events);

const bench = await startBench("bench:audit");
const rate = (count: number, ms: number) =>
  `${Math.round((count / ms) * 1000).toLocaleString("en")}/s`;

async function appendInProcess(db: Db, count: number): Promise<number> {
  const context = {
    actor: { type: "system" as const, id: "system", name: "bench" },
    requestId: null,
    action: "bench.append",
  };
  const startedAt = performance.now();
  for (let i = 0; i < count; i += 1)
    await auditedTransaction(
      context,
      () => Promise.resolve(i),
      (n) => ({ target: { n } }),
      db,
    );
  return performance.now() - startedAt;
}

/** Two processes at once; the rate counts from the later start to the later end of the two. */
async function appendInTwoProcesses(database: string, count: number) {
  const startedAt = performance.now();
  const results = await Promise.all([
    runAppendWorker(database, count / 2, "first"),
    runAppendWorker(database, count / 2, "second"),
  ]);
  const wall = performance.now() - startedAt;
  // Each worker's own loop time excludes its start-up (tsx, connecting); the slower one bounds it.
  return { wall, busy: Math.max(...results.map((r) => r.ms)) };
}

/** A fresh, migrated database: a file, or a schema of its own on TEST_DATABASE_URL's server. */
async function freshDatabase(kind: Dialect) {
  const database = await createTestDatabase(kind);
  const db = await database.openMigrated();
  const { config } = database;
  return {
    db,
    target: config.kind === "sqlite" ? config.file : config.url,
    dispose: database.dispose,
  };
}

async function benchAppends(kind: Dialect) {
  const single = await freshDatabase(kind);
  try {
    const ms = await appendInProcess(single.db, APPENDS);
    bench.record({
      name: `${kind}: appends in one process`,
      raw: APPENDS / (ms / 1000),
      unit: "appends/s",
      kind: "cpu-rate",
      ...(kind === "sqlite" && { target: { bound: "at-least", value: 1_000, on: "raw" } as const }),
    });
    console.log(
      `${kind}: ${APPENDS} appends, one process: ${rate(APPENDS, ms)} (${(ms / APPENDS).toFixed(2)} ms each)`,
    );
  } finally {
    await single.dispose();
  }
  const shared = await freshDatabase(kind);
  try {
    const { wall, busy } = await appendInTwoProcesses(shared.target, APPENDS);
    const check = await verifyChain(shared.db, []);
    bench.record({
      name: `${kind}: appends across two processes`,
      raw: APPENDS / (busy / 1000),
      unit: "appends/s",
      kind: "cpu-rate",
      ...(kind === "postgres" && { target: { bound: "at-least", value: 500, on: "raw" } as const }),
    });
    console.log(
      `${kind}: ${APPENDS} appends, two processes: ${rate(APPENDS, busy)} while both append ` +
        `(${rate(APPENDS, wall)} counting process start-up); chain ${check.ok ? "verifies" : "BROKEN"} with ${check.events} events`,
    );
  } finally {
    await shared.dispose();
  }
}

async function benchVerify() {
  const fresh = await freshDatabase("sqlite");
  try {
    const writeStart = performance.now();
    await appendBulkEvents(fresh.db, VERIFY_EVENTS);
    console.log(
      `sqlite: wrote ${VERIFY_EVENTS.toLocaleString("en")} chained events in ${((performance.now() - writeStart) / 1000).toFixed(1)} s`,
    );
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const startedAt = performance.now();
    const result = await verifyChain(fresh.db, []);
    const ms = performance.now() - startedAt;
    clearInterval(sampler);
    bench.record({
      name: `verify ${result.events.toLocaleString("en")} events`,
      raw: ms / 1000,
      unit: "s",
      kind: "time",
      target: { bound: "at-most", value: 15, on: "raw" },
    });
    bench.record({
      name: "verify: resident memory growth",
      raw: (peak - before) / 2 ** 20,
      unit: "MiB",
      kind: "size",
    });
    console.log(
      `sqlite: verified ${result.events.toLocaleString("en")} events in ${(ms / 1000).toFixed(1)} s ` +
        `(${rate(result.events, ms)}; ok: ${result.ok}); resident memory ${Math.round(before / 2 ** 20)} MiB before, ` +
        `peak ${Math.round(peak / 2 ** 20)} MiB (+${Math.round((peak - before) / 2 ** 20)} MiB)`,
    );
  } finally {
    await fresh.dispose();
  }
}

console.log(`${os.cpus().length} CPUs, Node ${process.version}`);
for (const dialect of availableDialects()) await benchAppends(dialect);
if (!availableDialects().includes("postgres"))
  console.log("postgres: skipped (set TEST_DATABASE_URL to measure it)");
await benchVerify();
await bench.finish();
