// npm run bench:requests – a 500-key bulk rotation-policy request executed, against a sequential loop
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pLimit from "p-limit";

import { createDb, migrateToLatest } from "@/lib/db/client";
import { newCallStats, withCallStats } from "@/lib/hsm/call-stats";
import { createHsmHandle } from "@/lib/hsm/handle";
import { decideRequest } from "@/lib/requests/decisions";
import { executeApprovedRequests } from "@/lib/requests/executor";
import { fileRequest } from "@/lib/requests/filing";
import { requestDetail } from "@/lib/requests/store";
import { ROLES } from "@/scripts/lib/seed/demo-inventory";

import { startBench } from "./lib/report";
import { startStandaloneEmulator } from "./lib/standalone-emulator";

/*
 * One emulated HSM (its own process) with 500 keys, 20 ms of injected latency on every call. A
 * key.rotation-policy request for all 500 is filed, approved and executed by the portal's
 * executor (live re-read, write, audit event per item) three times: with the portal's item
 * concurrency, with one item at a time (the sequential loop), and with 10 % of calls throttled
 * (429 without Retry-After). Targets: ≤ 10 s, ≥ 10× the sequential loop; completes throttled.
 */

const HSM = "bench-requests";
const KEYS = 500;
const LATENCY_MS = 20;
const POLICIES = ["P90D", "P120D", "P150D"];

const bench = await startBench("bench:requests");
const emulator = await startStandaloneEmulator({ hsm: HSM, testMode: true });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-requests-"));

try {
  const { connection, caPem, credential } = emulator;
  const handle = createHsmHandle(
    { name: HSM, region: "West Europe", url: connection.hsms[0]!.url, caPem },
    credential,
  );
  const { admin, keys } = handle.background;
  await admin.createRoleAssignment("/", ROLES.cryptoOfficer, connection.toolClient.objectId);
  await admin.createRoleAssignment("/", ROLES.cryptoUser, connection.toolClient.objectId);
  const names = Array.from({ length: KEYS }, (_, i) => `bulk-${String(i).padStart(3, "0")}`);
  const limit = pLimit(32);
  await Promise.all(names.map((name) => limit(() => keys.createEcKey(name, { hsm: true }))));

  const db = createDb({ kind: "sqlite", file: path.join(dir, "portal.db") });
  await migrateToLatest(db);
  const sealKeys = [randomBytes(32)];
  const person = (id: string, name: string) => ({ id: `bench-${id}`, name });
  const audit = (action: string) => ({
    actor: { type: "user" as const, id: "bench", name: "bench" },
    requestId: null,
    action,
  });

  /** Files one bulk (before any fault is injected: filing reads every key); returns its id. */
  async function filedBulk(timeAfterCreate: string) {
    const { request } = await fileRequest(
      { db, handleOf: () => handle, sealKeys },
      person("filer", "Bench filer"),
      {
        kind: "key.rotation-policy",
        hsm: HSM,
        justification: "Benchmark of a bulk change",
        items: names.map((key) => ({
          key,
          policy: { lifetimeActions: [{ action: "Rotate", timeAfterCreate }], expiresIn: "P1Y" },
        })),
      },
      audit("request.file"),
    );
    return request.id;
  }

  /**
   * Files a bulk (with latency only: filing reads every key), approves it, then executes it
   * under `faults`; returns the execution's time and HSM call figures.
   */
  async function bulk(timeAfterCreate: string, itemConcurrency: number, faults: object) {
    await admin.send("PUT", "/emulator/faults", {}, { latencyMs: LATENCY_MS });
    const id = await filedBulk(timeAfterCreate);
    await decideRequest(
      { db },
      id,
      "approve",
      {
        ...person("approver", "Bench approver"),
        mayApprove: true,
        groups: new Set(),
        authTime: Date.now(),
      },
      {},
      audit("request.approve"),
    );
    await admin.send("PUT", "/emulator/faults", {}, { latencyMs: LATENCY_MS, ...faults });
    const stats = newCallStats();
    const started = performance.now();
    await withCallStats(stats, () =>
      executeApprovedRequests({
        db,
        handleOf: () => handle,
        sealKeys,
        actor: { type: "application", id: "bench", name: "bench executor" },
        itemConcurrency,
      }),
    );
    const ms = performance.now() - started;
    const done = (await requestDetail(db, id))!;
    if (done.state !== "executed") throw new Error(`the bulk ended ${done.state}: ${done.outcome}`);
    return { ms, stats };
  }

  console.log(
    `change requests: one key.rotation-policy request for ${KEYS} keys, ${LATENCY_MS} ms latency per HSM call, ` +
      `SQLite, ${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  const portal = await bulk(POLICIES[0]!, 16, {});
  const sequential = await bulk(POLICIES[1]!, 1, {});
  const throttled = await bulk(POLICIES[2]!, 16, {
    throttle: { read: { rate: 0.1 }, write: { rate: 0.1 } },
  });
  await admin.send("PUT", "/emulator/faults", {}, {});

  console.log(
    "execution                                  time     HSM calls   retries   throttled",
  );
  for (const [label, run] of [
    ["portal executor (16 items at a time)", portal],
    ["sequential loop (1 item at a time)", sequential],
    ["portal executor, 10 % of calls throttled", throttled],
  ] as const)
    console.log(
      `${label.padEnd(40)} ${seconds(run.ms).padStart(7)} ${String(run.stats.calls).padStart(12)} ${String(run.stats.retries).padStart(9)} ${String(run.stats.throttled).padStart(11)}`,
    );
  bench.record({
    name: `executor, ${KEYS} items`,
    raw: portal.ms / 1000,
    unit: "s",
    kind: "time",
    target: { bound: "at-most", value: 10, on: "raw" },
  });
  bench.record({
    name: "sequential loop ÷ executor",
    raw: sequential.ms / portal.ms,
    unit: "×",
    kind: "ratio",
    target: { bound: "at-least", value: 10, on: "raw" },
  });
  bench.record({
    name: "executor, 10 % of calls throttled",
    raw: throttled.ms / 1000,
    unit: "s",
    kind: "time",
  });
  await db.destroy();
} finally {
  await emulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
await bench.finish();
