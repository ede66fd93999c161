// npm run bench:evidence – the evidence pack of 2 HSMs × 5,000 keys, 10,000 requests, 1,000,000 events
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { request as playwrightRequest } from "@playwright/test";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import { appendBulkEvents } from "@/lib/audit/testing/bulk-chain";
import { createDb } from "@/lib/db/client";
import { DEFAULT_POLICIES } from "@/lib/requests/policy";
import { REQUEST_STATES } from "@/lib/requests/state-machine";
import { account } from "@/e2e/fixtures/accounts";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";

import { startBenchStack } from "./lib/bench-stack";
import { startBench } from "./lib/report";
import { seedMirrorKeys, waitForStartUpSync } from "./lib/seed-mirror";

/*
 * The whole local stack (production build, one portal process, SQLite) with 2 HSMs × 5,000 keys,
 * 5,000 key-scoped role assignments, 10,000 change requests and 1,000,000 chained audit events
 * written beside it; then an auditor downloads the evidence pack of the whole span through
 * GET /api/evidence. Figures: the time to the last byte, the pack's size, and the portal
 * process's resident memory sampled every 100 ms while it streams.
 * Targets: ≤ 60 s and ≤ 300 MB resident.
 */

const KEYS_PER_HSM = 5_000;
const ASSIGNMENTS = 5_000;
const REQUESTS = 10_000;
const EVENTS = 1_000_000;
const HSMS = ["keyward-weu", "keyward-neu"];
const DAY = 86_400_000;

/**
 * Resident memory (MB) of this benchmark's portal: its `next start` processes (and a cluster
 * launcher, were there one). Only this process's descendants count: matching every next-server
 * on the machine also summed other stacks' servers and launchers running at the same time.
 */
function portalResidentMb(): number {
  const processes = execFileSync("ps", ["-eo", "pid=,ppid=,rss=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/))
    .flatMap((m) => (m ? [{ pid: +m[1]!, ppid: +m[2]!, rssKb: +m[3]!, args: m[4]! }] : []));
  const ours = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes)
      if (ours.has(p.ppid) && !ours.has(p.pid)) {
        ours.add(p.pid);
        grew = true;
      }
  }
  return processes
    .filter((p) => ours.has(p.pid) && /next-server|next start|next\/dist\/bin\/next/.test(p.args))
    .reduce((sum, p) => sum + p.rssKb / 1024, 0);
}

const bench = await startBench("bench:evidence");
const stack = await startBenchStack({
  KEYWARD_SYNC_INTERVAL_MINUTES: "1440",
  KEYWARD_DIRECTORY_REFRESH_MINUTES: "1440",
  KEYWARD_PORTAL_WORKERS: "1",
});
try {
  const { localJson } = stack;
  const db = createDb({ kind: "sqlite", file: path.join(localJson.dataDir, "keyward.db") });
  await waitForStartUpSync(db, localJson.hsms.length);
  const seeded = performance.now();
  const now = Date.now();
  for (const hsm of HSMS) await seedMirrorKeys(db, hsm, KEYS_PER_HSM, now);
  for (let batch = 0; batch < ASSIGNMENTS; batch += 500)
    await db
      .insertInto("inventory_role_assignment")
      .values(
        Array.from({ length: 500 }, (_, i) => {
          const n = batch + i;
          return {
            hsm: HSMS[n % 2]!,
            name: `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`,
            scope: `/keys/bench-key-${n % KEYS_PER_HSM}`,
            key_lower: `bench-key-${n % KEYS_PER_HSM}`,
            role_definition_id: BUILT_IN_ROLES.cryptoUser,
            principal_id: `00000000-0000-4000-a000-${String(n % 700).padStart(12, "0")}`,
          };
        }),
      )
      .execute();
  const kinds = Object.keys(DEFAULT_POLICIES) as (keyof typeof DEFAULT_POLICIES)[];
  for (let batch = 0; batch < REQUESTS; batch += 500)
    await db
      .insertInto("change_request")
      .values(
        Array.from({ length: 500 }, (_, i) => {
          const n = batch + i;
          const kind = kinds[n % kinds.length]!;
          const filed = now - 300 * DAY + n * 2_000_000;
          return {
            id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
            kind,
            hsm: HSMS[n % 2]!,
            state: REQUEST_STATES[n % REQUEST_STATES.length]!,
            justification: `Change ${n} for the benchmark`,
            requester_id: `bench-${n % 7}`,
            requester_name: `Bench ${n % 7}`,
            owner_groups: "[]",
            policy: JSON.stringify(DEFAULT_POLICIES[kind]),
            approvals_required: 1,
            approvals: 1,
            item_count: 1,
            summary: `Change ${n}: key bench-key-${n % KEYS_PER_HSM}`,
            idempotency_key: `bench-${n}`,
            filed_at: filed,
            expires_at: filed + 72 * 3_600_000,
            updated_at: filed,
            decided_at: filed + 60_000,
            finished_at: filed + 120_000,
            outcome: "succeeded",
          };
        }),
      )
      .execute();
  await appendBulkEvents(db, EVENTS, now - 30 * DAY);
  await db.destroy();
  const seedSeconds = (performance.now() - seeded) / 1000;

  const session = await playwrightRequest.newContext({ baseURL: localJson.portal.url });
  await signInThroughApi(session, account(localJson, "auditor"));
  const cookie = (await session.storageState()).cookies
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  await session.dispose();

  const from = new Date(now - 400 * DAY).toISOString().slice(0, 10);
  const to = new Date(now + 30 * DAY).toISOString().slice(0, 10);
  const url = `${localJson.portal.url}/api/evidence?from=${from}&to=${to}`;
  const idleMb = portalResidentMb();
  let peakMb = idleMb;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, portalResidentMb())), 100);
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie } });
  if (!response.ok || !response.body) throw new Error(`the pack answered ${response.status}`);
  let bytes = 0;
  const reader = response.body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read())
    bytes += next.value.byteLength;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);

  console.log(
    `evidence pack: ${HSMS.length} HSMs × ${KEYS_PER_HSM.toLocaleString("en")} keys, ` +
      `${ASSIGNMENTS.toLocaleString("en")} assignments, ${REQUESTS.toLocaleString("en")} requests, ` +
      `${EVENTS.toLocaleString("en")} audit events (seeded in ${seedSeconds.toFixed(0)} s); ` +
      `${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  console.log(`time to the last byte   ${seconds.toFixed(1)} s      (target ≤ 60 s)`);
  console.log(`pack size               ${(bytes / 1_048_576).toFixed(1)} MB`);
  console.log(
    `portal resident memory  ${peakMb.toFixed(0)} MB at peak, ${idleMb.toFixed(0)} MB before   (target ≤ 300 MB)`,
  );
  bench.record({
    name: "evidence pack: time to the last byte",
    raw: seconds,
    unit: "s",
    kind: "time",
    target: { bound: "at-most", value: 60, on: "raw" },
  });
  bench.record({
    name: "evidence pack: portal resident memory at peak",
    raw: peakMb,
    unit: "MB",
    kind: "size",
    target: { bound: "at-most", value: 300, on: "raw" },
  });
  bench.record({
    name: "evidence pack: portal resident before",
    raw: idleMb,
    unit: "MB",
    kind: "size",
  });
} finally {
  await stack.stop();
}
await bench.finish();
