// npm run bench:backup – a full backup with its catalogue, "which backups hold key X", a catalogue's size
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "@keyward/local-https";
import { sql } from "kysely";
import pLimit from "p-limit";

import { DEFAULT_VERSION_READS, mirrorRefresher, type BackupDeps } from "@/lib/backup/deps";
import { runBackup } from "@/lib/backup/runner";
import { createDb, migrateToLatest, type Db } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/testing/databases";
import { readTestSettings } from "@/lib/env";
import { createHsmHandle } from "@/lib/hsm/handle";
import { azuriteContainer } from "@/lib/storage/append-only-container";
import { backupContainer } from "@/lib/storage/backup-container";
import { runSync } from "@/lib/sync/service";
import { AZURITE_ACCOUNT, startAzurite } from "@/scripts/lib/azurite";
import { ROLES } from "@/scripts/lib/seed/demo-inventory";

import {
  catalogueColumnBytes,
  catalogueStoredBytes,
  copyCatalogues,
  measureHoldingQueries,
  type LatencyFigures,
} from "./lib/catalogue-history";
import { startBench } from "./lib/report";
import { startStandaloneEmulator } from "./lib/standalone-emulator";

/*
 * One emulated HSM (its own process) with 5,000 keys and 20 ms of injected latency on every call,
 * backed up into Azurite by the portal's runner — the HSM's backup, the mirror refresh and the
 * catalogue (one version list read per key) — with the catalogue's version reads at the default
 * concurrency and at a higher one. Then the run's catalogue is copied into 365 daily runs and
 * "which backups hold key X" is asked for random keys, on SQLite and, when TEST_DATABASE_URL is
 * set, on PostgreSQL in a throwaway schema (dropped at the end).
 * Targets: backup with catalogue ≤ 60 s; p95 ≤ 50 ms; one run's catalogue ≤ 5 MB.
 */

const HSM = "bench-backup";
const { values: flags } = parseArgs({
  options: {
    keys: { type: "string", default: "5000" },
    days: { type: "string", default: "365" },
    queries: { type: "string", default: "200" },
  },
});
const KEYS = Number(flags.keys);
const DAYS = Number(flags.days);
const QUERIES = Number(flags.queries);
const ON_POSTGRES = Boolean(readTestSettings().databaseUrl);
const LATENCY_MS = 20;
const CONCURRENCY = 32;
const HIGHER_VERSION_READS = 32;
const access = {
  kind: "account-key",
  accountName: AZURITE_ACCOUNT.name,
  accountKey: AZURITE_ACCOUNT.key,
} as const;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MB`;
const verdict = (met: boolean) => (met ? "met" : "NOT met");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-backup-"));
const bench = await startBench("bench:backup");
const emulator = await startStandaloneEmulator({ hsm: HSM, testMode: true });
const azurite = await startAzurite(await freePort(), path.join(dir, "azurite"));

try {
  const { connection, caPem, credential } = emulator;
  const handle = createHsmHandle(
    { name: HSM, region: "West Europe", url: connection.hsms[0]!.url, caPem },
    credential,
    { concurrency: CONCURRENCY },
  );
  const { admin, keys } = handle.background;
  await azuriteContainer(azurite.endpoint, "nightly").ensureExists();

  const seedStart = Date.now();
  await admin.createRoleAssignment("/", ROLES.cryptoOfficer, connection.toolClient.objectId);
  await admin.createRoleAssignment("/", ROLES.cryptoUser, connection.toolClient.objectId);
  const names = Array.from({ length: KEYS }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
  const limit = pLimit(48);
  await Promise.all(
    names.map((name, i) =>
      limit(async () => {
        const tags = { app: `app-${i % 40}`, environment: ["prod", "staging", "dev"][i % 3]! };
        if (i % 2 === 0) await keys.createEcKey(name, { hsm: true, curve: "P-256", tags });
        else await keys.createOctKey(name, { hsm: true, keySize: 256, tags });
        // One key in five has a second version, as rotated keys do.
        if (i % 5 === 0) await keys.createOctKey(name, { hsm: true, keySize: 256, tags });
      }),
    ),
  );
  const seeded = Date.now() - seedStart;

  const db = createDb({ kind: "sqlite", file: path.join(dir, "portal.db") });
  await migrateToLatest(db);
  await admin.send("PUT", "/emulator/faults", {}, { latencyMs: LATENCY_MS });
  const syncStart = Date.now();
  await runSync(db, handle, { kind: "full", trigger: "manual" }, { concurrency: CONCURRENCY });
  const synced = Date.now() - syncStart;
  // `updated` has whole seconds: let every key age past the incremental sync's margin.
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  console.log(
    `backup: ${KEYS.toLocaleString("en")} keys (one in five with 2 versions), ${LATENCY_MS} ms latency per HSM call, ` +
      `concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs, Node ${process.version}\n` +
      `seeded in ${seconds(seeded)}, mirror synced in ${seconds(synced)} (neither counted)\n`,
  );

  /** One run, timed by phase: the HSM's backup, the mirror refresh, then the catalogue. */
  async function timedRun(versionReads: number) {
    const marks = { refreshStart: 0, refreshEnd: 0 };
    const refresh = mirrorRefresher(db, { concurrency: CONCURRENCY });
    const deps: BackupDeps = {
      db,
      handleOf: () => handle,
      targetOf: () => ({
        container: backupContainer(`${azurite.endpoint}/nightly`, access),
        auth: "sas",
      }),
      refreshMirror: async (h, run) => {
        marks.refreshStart = performance.now();
        await refresh(h, run);
        marks.refreshEnd = performance.now();
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 250))),
      versionReads,
    };
    const started = performance.now();
    const run = await runBackup(deps, {
      hsm: HSM,
      trigger: "manual",
      actor: { type: "user", id: "bench", name: "bench" },
    });
    const ended = performance.now();
    if (run.state !== "succeeded" || run.cataloguedAt === null)
      throw new Error(`the backup ended ${run.state}: ${run.error}`);
    return {
      run,
      total: ended - started,
      backup: marks.refreshStart - started,
      refresh: marks.refreshEnd - marks.refreshStart,
      catalogue: ended - marks.refreshEnd,
    };
  }

  const runs = [
    { reads: DEFAULT_VERSION_READS, ...(await timedRun(DEFAULT_VERSION_READS)) },
    { reads: HIGHER_VERSION_READS, ...(await timedRun(HIGHER_VERSION_READS)) },
  ];
  console.log(
    "full backup with catalogue        total   HSM backup   mirror refresh   catalogue (version reads + write)",
  );
  for (const r of runs)
    console.log(
      [
        `versionReads ${r.reads}`.padEnd(30),
        seconds(r.total).padStart(8),
        seconds(r.backup).padStart(12),
        seconds(r.refresh).padStart(16),
        seconds(r.catalogue).padStart(14),
        `${Math.round((100 * r.catalogue) / r.total)} % of the run`.padStart(18),
      ].join(" "),
    );
  for (const r of runs)
    bench.record({
      name: `backup with catalogue, ${r.reads} version reads at once`,
      raw: r.total / 1000,
      unit: "s",
      kind: "time",
      target: { bound: "at-most", value: 60, on: "raw" },
    });
  for (const r of runs)
    console.log(
      `versionReads ${r.reads}: ${seconds(r.total)} (target ≤ 60 s: ${verdict(r.total <= 60_000)})` +
        (r.catalogue > r.total / 2
          ? ` — the catalogue's per-key version reads dominate (${KEYS} reads, ${r.reads} at a time)`
          : ""),
    );

  const sourceRun = runs[0]!.run.id;
  const columnBytes = await catalogueColumnBytes(db, sourceRun);
  // Two runs' catalogues are in the table now; each holds the same keys.
  const sqliteStored = await catalogueStoredBytes(db, "sqlite");
  console.log(
    `\none run's catalogue: ${KEYS} rows, ${megabytes(columnBytes)} of column data` +
      (sqliteStored === null
        ? ""
        : `, ${megabytes(sqliteStored / runs.length)} on disk in SQLite with its indexes (dbstat)`) +
      ` (target ≤ 5 MB: ${verdict(columnBytes <= 5 * 1_048_576)})`,
  );

  bench.record({
    name: "one run's catalogue",
    raw: columnBytes / 1_048_576,
    unit: "MB",
    kind: "size",
    target: { bound: "at-most", value: 5, on: "raw" },
  });

  async function history(label: string, target: Db, dialect: "sqlite" | "postgres") {
    const before = await catalogueStoredBytes(target, dialect);
    const copyStart = Date.now();
    await copyCatalogues(target, sourceRun, DAYS);
    const copied = Date.now() - copyStart;
    if (dialect === "postgres") await sqlAnalyze(target);
    const after = await catalogueStoredBytes(target, dialect);
    const figures = await measureHoldingQueries(target, HSM, names, QUERIES);
    return { label, copied, figures, perRun: after === null ? null : (after - before!) / DAYS };
  }

  const results: {
    label: string;
    copied: number;
    figures: LatencyFigures;
    perRun: number | null;
  }[] = [];
  results.push(await history("SQLite", db, "sqlite"));
  if (ON_POSTGRES) {
    const postgres = await createTestDatabase("postgres");
    try {
      const pg = await postgres.openMigrated();
      await copyRunInto(db, pg, sourceRun);
      results.push(await history("PostgreSQL", pg, "postgres"));
    } finally {
      await postgres.dispose();
    }
  }
  console.log(
    `\nwhich backups hold key X: ${DAYS} daily catalogues of ${KEYS} keys, ${QUERIES} random keys`,
  );
  console.log(
    "database      rows copied in   p50 ms   p95 ms   max ms   backups per answer   stored per run",
  );
  for (const r of results)
    console.log(
      [
        r.label.padEnd(12),
        seconds(r.copied).padStart(16),
        ...[r.figures.p50, r.figures.p95, r.figures.max].map((v) => v.toFixed(1).padStart(8)),
        r.figures.backupsPerAnswer.toFixed(0).padStart(20),
        (r.perRun === null ? "–" : megabytes(r.perRun)).padStart(16),
      ].join(" "),
    );
  for (const r of results) {
    bench.record({
      name: `${r.label}: which backups hold key X, p95`,
      raw: r.figures.p95,
      unit: "ms",
      kind: "time",
      target: { bound: "at-most", value: 50, on: "raw" },
    });
    console.log(
      `${r.label}: p95 ${r.figures.p95.toFixed(1)} ms (target ≤ 50 ms: ${verdict(r.figures.p95 <= 50)})`,
    );
  }
  await db.destroy();
} finally {
  await azurite.stop();
  await emulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
await bench.finish();

/** PostgreSQL plans the lookups from fresh statistics, as autovacuum would give it. */
async function sqlAnalyze(db: Db): Promise<void> {
  await sql`analyze backup_run`.execute(db);
  await sql`analyze backup_catalogue_key`.execute(db);
}

/** The source run and its catalogue, as the runner wrote them, into another database. */
async function copyRunInto(from: Db, to: Db, runId: string): Promise<void> {
  const run = await from.selectFrom("backup_run").selectAll().where("id", "=", runId).execute();
  const accessRow = await from
    .selectFrom("backup_catalogue_access")
    .selectAll()
    .where("run_id", "=", runId)
    .execute();
  const rows = await from
    .selectFrom("backup_catalogue_key")
    .selectAll()
    .where("run_id", "=", runId)
    .execute();
  await to.transaction().execute(async (trx) => {
    await trx.insertInto("backup_run").values(run).execute();
    await trx.insertInto("backup_catalogue_access").values(accessRow).execute();
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto("backup_catalogue_key")
        .values(rows.slice(i, i + 500))
        .execute();
  });
}
