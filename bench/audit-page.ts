// npm run bench:audit-page – the /audit page over 1,000,000 events, 20 clients, one filter at a time
import os from "node:os";
import path from "node:path";
import { request as playwrightRequest } from "@playwright/test";

import { appendBulkEvents } from "@/lib/audit/testing/bulk-chain";
import { createDb } from "@/lib/db/client";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";

import { startBenchStack } from "./lib/bench-stack";
import { measurePages } from "./lib/measure";
import { startBench } from "./lib/report";

/*
 * The whole local stack (production build, the launcher's portal processes, SQLite), its audit
 * log topped up to a million chained events written in bulk beside the running portal. Signed
 * in as the key team, 20 connections without pause load the server-rendered /audit page with
 * each kind of filter (the server's capacity), then 20 clients thinking 0.5–2 s between pages
 * open them at random, as bench:load's people do. Target: their p95 ≤ 200 ms for any filter.
 */

const EVENTS = 1_000_000;
const CONNECTIONS = 20;
const DURATION_SECONDS = 10;
const WARM_UP_SECONDS = 10;
// Before the first measurement: V8 optimises the render paths over about half a minute of load.
const SERVER_WARM_UP_SECONDS = 30;
const THINKING_SECONDS = 90;
// The bulk events follow the portal's own, a second apart: a million of them span 11.6 days.
const DAY_INSIDE = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
const FILTERS = [
  "",
  "actor=user-42",
  "action=sod.",
  "outcome=denied",
  `from=${DAY_INSIDE}&to=${DAY_INSIDE}`,
  "target=key-4242",
  "q=req-500000",
  "q=User+7",
];

const bench = await startBench("bench:audit-page");
const stack = await startBenchStack({
  KEYWARD_SYNC_INTERVAL_MINUTES: "1440",
  KEYWARD_DIRECTORY_REFRESH_MINUTES: "1440",
});
try {
  const { localJson } = stack;
  const db = createDb({ kind: "sqlite", file: path.join(localJson.dataDir, "keyward.db") });
  const started = performance.now();
  await appendBulkEvents(db, EVENTS);
  await db.destroy();
  const session = await playwrightRequest.newContext({ baseURL: localJson.portal.url });
  const keyadmin = localJson.accounts.find((a) => a.login === "keyadmin@keyward.test")!;
  await signInThroughApi(session, keyadmin);
  const cookie = (await session.storageState()).cookies
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  await session.dispose();

  console.log(
    `audit page: ${EVENTS.toLocaleString("en")} events appended in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
      `${CONNECTIONS} connections, ${DURATION_SECONDS} s each after ${WARM_UP_SECONDS} s of warm-up (${SERVER_WARM_UP_SECONDS} s before the first), ${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  await measurePages(
    bench.record,
    localJson.portal.url.replace("localhost", "127.0.0.1"),
    FILTERS.map((filter) => `/audit${filter ? `?${filter}` : ""}`),
    {
      cookie,
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      warmUpSeconds: WARM_UP_SECONDS,
      serverWarmUpSeconds: SERVER_WARM_UP_SECONDS,
      thinkingSeconds: THINKING_SECONDS,
      p95TargetMs: () => 200,
    },
  );
} finally {
  await stack.stop();
}
await bench.finish();
