// npm run bench:load [-- --postgres] [-- --soak-minutes 30] – signed-in clients on a realistic mix
import { parseArgs } from "node:util";
import { request as playwrightRequest } from "@playwright/test";

import { createDb, type Db } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { readTestSettings } from "@/lib/env";
import { account } from "@/e2e/fixtures/accounts";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";

import { startBenchStack } from "./lib/bench-stack";
import { MIX, READ_ONLY_MIX, runClients, type Client, type Role } from "./lib/load-clients";
import { portalProcessIds, residentMiB } from "./lib/process-memory";
import { startBench } from "./lib/report";
import { seedMirrorKeys, waitForStartUpSync } from "./lib/seed-mirror";

/*
 * The portal under a realistic load: 2 HSMs × 5,000 keys (the demo's keys, synced from the
 * emulator, plus 5,000 written into each HSM's mirror), and 50 signed-in clients for 2 minutes:
 * 20 key administrators (inventory, key pages, calendar, access, filing tag changes), 10
 * approvers (reviewing and approving those), 10 auditors (audit log, requests) and 10
 * requesters (their keys and requests), each thinking 0.5–2 s between actions. Targets: p95 of
 * every page and API ≤ 300 ms, no error. The portal runs as the launcher runs it (on SQLite,
 * one process per CPU, at most 4; `--workers N` sets the number); `--postgres` runs two
 * processes (the launcher's cluster) on a fresh PostgreSQL schema (TEST_DATABASE_URL). `--soak-minutes N` runs the mix
 * without changes for N minutes and samples each portal process's resident memory: after the
 * first fifth (warm-up) it must stay within 10 %.
 */

const { values } = parseArgs({
  options: {
    postgres: { type: "boolean", default: false },
    workers: { type: "string" },
    "soak-minutes": { type: "string", default: "0" },
    seconds: { type: "string", default: "120" },
  },
});
const SOAK_MINUTES = Number(values["soak-minutes"]);
const SECONDS = SOAK_MINUTES > 0 ? SOAK_MINUTES * 60 : Number(values.seconds);
const MIRROR_KEYS = 5_000;
const P95_TARGET_MS = 300;
const CLIENTS: Record<Role, number> = { keyadmin: 20, approver: 10, auditor: 10, requester: 10 };
const RSS_SAMPLE_MS = 10_000;

async function liveKeyCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom("inventory_key")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

const WORKERS = values.postgres ? "2" : values.workers;
const bench = await startBench(
  `bench:load${values.postgres ? " (postgres, 2 processes)" : WORKERS ? ` (${WORKERS} processes)` : ""}`,
);
let postgres: TestDatabase | undefined;
if (values.postgres) {
  if (!readTestSettings().databaseUrl) throw new Error("--postgres needs TEST_DATABASE_URL");
  postgres = await createTestDatabase("postgres");
}
const stack = await startBenchStack({
  // The mirror's extra keys are not in the HSMs: no sync may run during the benchmark.
  KEYWARD_SYNC_INTERVAL_MINUTES: "1440",
  KEYWARD_DIRECTORY_REFRESH_MINUTES: "1440",
  ...(postgres && postgres.config.kind === "postgres" ? { DATABASE_URL: postgres.config.url } : {}),
  ...(WORKERS ? { KEYWARD_PORTAL_WORKERS: WORKERS } : {}),
});
try {
  const { localJson } = stack;
  const db = createDb(postgres?.config ?? { kind: "sqlite", file: localJson.database.location });
  await waitForStartUpSync(db, localJson.hsms.length);
  const synced = await db
    .selectFrom("inventory_key")
    .select(["hsm", "name"])
    .where("deleted_at", "is", null)
    .execute();
  for (const hsm of localJson.hsms) await seedMirrorKeys(db, hsm.name, MIRROR_KEYS, Date.now());
  const mirrored = await liveKeyCount(db);

  const clients: Client[] = [];
  for (const [role, count] of Object.entries(CLIENTS) as [Role, number][])
    for (let i = 0; i < count; i += 1) {
      const session = await playwrightRequest.newContext({ baseURL: localJson.portal.url });
      // Approving needs a sign-in younger than ten minutes, with credentials entered.
      await signInThroughApi(session, account(localJson, role), {
        reauthenticate: role === "approver",
      });
      const cookie = (await session.storageState()).cookies
        .map((c) => `${c.name}=${c.value}`)
        .join("; ");
      await session.dispose();
      clients.push({ role, cookie });
    }

  const base = localJson.portal.url.replace("localhost", "127.0.0.1");
  const target = { base, origin: new URL(localJson.portal.url).origin, keys: synced };
  const pids = portalProcessIds(localJson.dataDir);
  console.log(
    `load: ${clients.length} clients for ${SECONDS} s, ${localJson.hsms.length} HSMs × ` +
      `${MIRROR_KEYS.toLocaleString("en")} mirror keys + ${synced.length} real keys, ` +
      `${postgres ? "PostgreSQL" : "SQLite"}, ${pids.length} portal process${pids.length === 1 ? "" : "es"} (pids ${pids.join(", ")})`,
  );
  // Warm-up: V8 optimises the render paths for the first half minute under load.
  await runClients(clients, target, READ_ONLY_MIX, Date.now() + 30_000);

  const memory = new Map<number, number[]>(pids.map((pid) => [pid, []]));
  const sampleMemory = () => {
    for (const pid of pids) {
      const rss = residentMiB(pid);
      if (rss !== null) memory.get(pid)!.push(rss);
    }
  };
  sampleMemory();
  const sampler = setInterval(sampleMemory, RSS_SAMPLE_MS);
  const started = Date.now();
  const samples = await runClients(
    clients,
    target,
    SOAK_MINUTES > 0 ? READ_ONLY_MIX : MIX,
    started + SECONDS * 1_000,
  );
  clearInterval(sampler);
  sampleMemory();
  const elapsed = (Date.now() - started) / 1_000;
  const mirroredAfter = await liveKeyCount(db);
  await db.destroy();
  console.log(`\nmirror: ${mirrored} live keys before the load, ${mirroredAfter} after`);
  if (mirroredAfter < mirrored - MIRROR_KEYS / 2)
    throw new Error(
      "a sync removed the mirror's extra keys during the load; its figures would be about the HSMs' keys alone",
    );

  const byAction = new Map<string, typeof samples>();
  for (const s of samples) byAction.set(s.action, [...(byAction.get(s.action) ?? []), s]);
  console.log(
    `\n${"action".padEnd(34)} ${"count".padStart(6)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"max ms".padStart(7)} ${"errors".padStart(6)}`,
  );
  for (const [action, list] of [...byAction].sort(([a], [b]) => a.localeCompare(b))) {
    const times = list
      .map((s) => s.ms)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const errors = list.filter((s) => !s.ok);
    const p95 = percentile(times, 95);
    console.log(
      `${action.padEnd(34)} ${String(list.length).padStart(6)} ${percentile(times, 50).toFixed(0).padStart(7)} ${p95.toFixed(0).padStart(7)} ${(times.at(-1) ?? NaN).toFixed(0).padStart(7)} ${String(errors.length).padStart(6)}`,
    );
    if (errors.length > 0)
      console.log(`  unexpected: ${[...new Set(errors.map((e) => e.status))].join(", ")}`);
    bench.record({
      name: `${action} p95`,
      raw: p95,
      unit: "ms",
      kind: "time",
      target: { bound: "at-most", value: P95_TARGET_MS, on: "raw" },
    });
  }
  const errors = samples.filter((s) => !s.ok).length;
  console.log(
    `\n${samples.length} requests in ${elapsed.toFixed(0)} s (${(samples.length / elapsed).toFixed(1)}/s), ${errors} errors`,
  );
  bench.record({
    name: "requests answered otherwise than expected",
    raw: errors,
    unit: "requests",
    kind: "size",
    target: { bound: "at-most", value: 0, on: "raw" },
  });
  for (const [pid, rss] of memory) {
    const afterWarmUp = rss[Math.floor(rss.length / 5)] ?? rss[0] ?? NaN;
    const last = rss.at(-1) ?? NaN;
    const growth = last / afterWarmUp - 1;
    console.log(
      `portal process ${pid}: resident ${rss[0]?.toFixed(0)} MiB at the start, ${afterWarmUp.toFixed(0)} after the first fifth, ` +
        `${Math.max(...rss).toFixed(0)} at most, ${last.toFixed(0)} at the end (${(growth * 100).toFixed(1)} %)`,
    );
    if (SOAK_MINUTES > 0)
      bench.record({
        name: `portal process ${pids.indexOf(pid) + 1} resident memory growth after warm-up`,
        raw: growth,
        unit: "ratio",
        kind: "ratio",
        target: { bound: "at-most", value: 0.1, on: "raw" },
      });
  }
} finally {
  await stack.stop();
  await postgres?.dispose();
}
await bench.finish();
