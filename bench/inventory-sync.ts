// npm run bench:sync – full and incremental inventory sync of a full HSM, against a naive loop
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pLimit from "p-limit";

import { createDb, migrateToLatest } from "@/lib/db/client";
import { createHsmHandle } from "@/lib/hsm/handle";
import { getRun } from "@/lib/sync/runs";
import { runSync } from "@/lib/sync/service";
import { ROLES } from "@/scripts/lib/seed/demo-inventory";

import { startBench } from "./lib/report";
import { startStandaloneEmulator } from "./lib/standalone-emulator";

/*
 * One emulated HSM holding 5,000 keys (the Managed HSM maximum), each with a rotation policy,
 * one in ten with key-scoped role assignments, and 20 ms of injected latency on every call. The
 * emulator runs in its own process; this process syncs it into a fresh SQLite mirror with the
 * portal's defaults, then walks it the naive way: the SDK's list, then one key after another.
 * Targets: full sync ≤ 20 s, incremental with nothing changed ≤ 6 s, ≥ 10× the naive loop, and
 * (issue 20) ≤ 3 HSM calls per key for the scheduled full sync over a filled mirror (the first
 * sync of an HSM reads four things per key and the API offers no way to batch them). The times are mostly the injected latency,
 * so the ratio to the naive loop and the calls per key are the figures that travel.
 */

const HSM = "bench-hsm";
const { values: flags } = parseArgs({ options: { keys: { type: "string", default: "5000" } } });
const KEYS = Number(flags.keys);
const LATENCY_MS = 20;
const CONCURRENCY = 32;
const SEED_CONCURRENCY = 48;

const bench = await startBench("bench:sync");
const emulator = await startStandaloneEmulator({ hsm: HSM, testMode: true });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

try {
  const { connection, caPem, credential } = emulator;
  const handle = createHsmHandle(
    { name: HSM, region: "West Europe", url: connection.hsms[0]!.url, caPem },
    credential,
    { concurrency: CONCURRENCY },
  );
  const { admin, keys } = handle.background;

  const seedStart = Date.now();
  await admin.createRoleAssignment("/", ROLES.cryptoOfficer, connection.toolClient.objectId);
  await admin.createRoleAssignment("/", ROLES.cryptoUser, connection.toolClient.objectId);
  const limit = pLimit(SEED_CONCURRENCY);
  let assignments = 0;
  await Promise.all(
    Array.from({ length: KEYS }, (_, i) =>
      limit(async () => {
        const name = `bench-${String(i).padStart(4, "0")}`;
        const tags = { app: `app-${i % 40}`, environment: ["prod", "staging", "dev"][i % 3]! };
        if (i % 2 === 0) await keys.createEcKey(name, { hsm: true, curve: "P-256", tags });
        else await keys.createOctKey(name, { hsm: true, keySize: 256, tags });
        await keys.updateKeyRotationPolicy(name, {
          lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
          expiresIn: "P1Y",
        });
        if (i % 10 === 0) {
          await admin.createRoleAssignment(`/keys/${name}`, ROLES.cryptoUser, randomUUID());
          await admin.createRoleAssignment(
            `/keys/${name}`,
            ROLES.serviceEncryptionUser,
            randomUUID(),
          );
          assignments += 2;
        }
      }),
    ),
  );
  await admin.send("PUT", "/emulator/faults", {}, { latencyMs: LATENCY_MS });
  // `updated` has whole seconds: keys changed within 2 s of a read are re-read once more by the
  // next incremental sync. A real HSM's keys were not all created a moment ago; let them age.
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  console.log(
    `inventory sync: ${KEYS.toLocaleString("en")} keys with rotation policies, ${assignments} key-scoped role assignments, ` +
      `${LATENCY_MS} ms latency per call, concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs, Node ${process.version} ` +
      `(seeded in ${seconds(Date.now() - seedStart)})\n`,
  );

  const mirrorDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-mirror-"));
  const db = createDb({ kind: "sqlite", file: path.join(mirrorDir, "mirror.db") });
  await migrateToLatest(db);
  const measure = async (kind: "full" | "incremental") => {
    const started = Date.now();
    const runId = await runSync(
      db,
      handle,
      { kind, trigger: "manual" },
      { concurrency: CONCURRENCY },
    );
    const elapsed = Date.now() - started;
    const run = (await getRun(db, runId!))!;
    if (run.status !== "succeeded") throw new Error(`${kind} sync ${run.status}: ${run.error}`);
    return { elapsed, run };
  };
  const full = await measure("full");
  // Let every key's `updated` second age past the same-second margin of the incremental sync.
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  const incremental = await measure("incremental");
  // The scheduled full re-read, over the mirror the first one filled.
  const fullAgain = await measure("full");
  const mirrored = await db
    .selectFrom("inventory_key")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();

  const naiveStart = Date.now();
  let naiveCalls = 0;
  const names: string[] = [];
  for await (const page of keys.listPropertiesOfKeys().byPage({ maxPageSize: 25 })) {
    naiveCalls += 1;
    names.push(...page.map((key) => key.name));
  }
  for (const name of names) {
    await keys.getKeyRotationPolicy(name);
    await admin.listRoleAssignments(`/keys/${name}`, "atScope()");
    naiveCalls += 2;
  }
  const naive = Date.now() - naiveStart;
  await db.destroy();
  fs.rmSync(mirrorDir, { recursive: true, force: true });

  console.log("run                              time      calls   keys re-read   throttled");
  const row = (label: string, ms: number, calls: number, refreshed: string, throttled: string) =>
    console.log(
      [
        label.padEnd(30),
        seconds(ms).padStart(8),
        String(calls).padStart(9),
        refreshed.padStart(14),
        throttled.padStart(11),
      ].join(" "),
    );
  row(
    "full sync",
    full.elapsed,
    full.run.calls,
    String(full.run.keys_refreshed),
    String(full.run.throttled),
  );
  row(
    "full sync again, over the mirror",
    fullAgain.elapsed,
    fullAgain.run.calls,
    String(fullAgain.run.keys_refreshed),
    String(fullAgain.run.throttled),
  );
  row(
    "incremental, nothing changed",
    incremental.elapsed,
    incremental.run.calls,
    String(incremental.run.keys_refreshed),
    String(incremental.run.throttled),
  );
  row("naive sequential loop", naive, naiveCalls, "–", "–");
  console.log(`\nmirrored ${mirrored.n} keys.`);
  bench.record({
    name: "full sync",
    raw: full.elapsed / 1000,
    unit: "s",
    kind: "time",
    target: { bound: "at-most", value: 20, on: "raw" },
  });
  bench.record({
    name: "full sync into an empty mirror: HSM calls per key",
    raw: full.run.calls / KEYS,
    unit: "calls",
    kind: "ratio",
  });
  bench.record({
    name: "full sync again, over the mirror",
    raw: fullAgain.elapsed / 1000,
    unit: "s",
    kind: "time",
  });
  bench.record({
    name: "full sync over the mirror: HSM calls per key",
    raw: fullAgain.run.calls / KEYS,
    unit: "calls",
    kind: "ratio",
    target: { bound: "at-most", value: 3, on: "raw" },
  });
  bench.record({
    name: "incremental sync, nothing changed",
    raw: incremental.elapsed / 1000,
    unit: "s",
    kind: "time",
    target: { bound: "at-most", value: 6, on: "raw" },
  });
  bench.record({
    name: "naive loop ÷ full sync",
    raw: naive / full.elapsed,
    unit: "×",
    kind: "ratio",
    target: { bound: "at-least", value: 10, on: "raw" },
  });
} finally {
  await emulator.stop();
}
await bench.finish();
