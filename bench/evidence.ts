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

const stack = await startBenchStack({
  KEYWARD_SYNC_INTERVAL_MINUTES: "1440",
  KEYWARD_DIRECTORY_REFRESH_MINUTES: "1440",
  KEYWARD_PORTAL_WORKERS: "1",
});
try {
  const { localJson } = stack;
  const db = createDb({ kind: "sqlite", file: path.join(localJson.dataDir, "keyward.db") });
  const seeded = performance.now();
  const now = Date.now();
  for (const hsm of HSMS)
    for (let batch = 0; batch < KEYS_PER_HSM; batch += 500)
      await db
        .insertInto("inventory_key")
        .values(
          Array.from({ length: 500 }, (_, i) => {
            const n = batch + i;
            const created = now - (n % 400) * DAY;
            return {
              hsm,
              name_lower: `bench-key-${n}`,
              name: `bench-key-${n}`,
              version: `v${n}`,
              kty: n % 2 ? "RSA-HSM" : "EC-HSM",
              family: n % 2 ? ("RSA" as const) : ("EC" as const),
              key_size: n % 2 ? 3072 : null,
              curve: n % 2 ? null : "P-256",
              key_ops: JSON.stringify(["sign", "verify"]),
              enabled: 1 as const,
              exportable: 0 as const,
              managed: 0 as const,
              not_before: null,
              expires_at: created + 365 * DAY,
              created_at: created,
              updated_at: created,
              recovery_level: "Recoverable",
              tags: JSON.stringify({ env: n % 3 ? "prod" : "test" }),
              owner: null,
              version_count: 1 + (n % 4),
              policy:
                n % 5 === 0
                  ? null
                  : JSON.stringify({
                      lifetimeActions: [
                        { action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null },
                      ],
                      expiresIn: "P1Y",
                      createdOn: null,
                      updatedOn: null,
                    }),
              policy_state: n % 5 === 0 ? ("none" as const) : ("rotates" as const),
              next_rotation_at: null,
              deleted_at: null,
              scheduled_purge_at: null,
              recovery_id: null,
              detail_synced_at: now,
              attributes_read_at: now,
              search: `bench-key-${n}`,
            };
          }),
        )
        .execute();
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
} finally {
  await stack.stop();
}
