// npm run bench:requests-page – the /requests list over 10,000 change requests, 20 clients
import os from "node:os";
import path from "node:path";
import { request as playwrightRequest } from "@playwright/test";

import { createDb } from "@/lib/db/client";
import { DEFAULT_POLICIES } from "@/lib/requests/policy";
import { REQUEST_STATES } from "@/lib/requests/state-machine";
import { account } from "@/e2e/fixtures/accounts";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";

import { startBenchStack } from "./lib/bench-stack";
import { measurePages } from "./lib/measure";
import { startBench } from "./lib/report";

/*
 * The whole local stack (production build, the launcher's portal processes, SQLite) with 10,000
 * change requests written beside the running portal: filed by three people over 100 days, in
 * every state, a tenth of them bulk. Signed in as an approver, 20 connections without pause
 * load the server-rendered /requests page (the server's capacity): each tab, a state and a kind
 * filter, and a page deep in the list; then 20 clients thinking 0.5–2 s between pages open them
 * at random, as bench:load's people do. Target: their p95 ≤ 200 ms.
 */

const REQUESTS = 10_000;
const CONNECTIONS = 20;
const DURATION_SECONDS = 10;
const WARM_UP_SECONDS = 10;
const SERVER_WARM_UP_SECONDS = 30;
const THINKING_SECONDS = 90;
const KINDS = [
  "key.rotate",
  "key.rotation-policy",
  "key.update",
  "role-assignment.create",
] as const;
const PEOPLE = ["kim", "lee", "sam"];

const bench = await startBench("bench:requests-page");
const stack = await startBenchStack({
  KEYWARD_SYNC_INTERVAL_MINUTES: "1440",
  KEYWARD_DIRECTORY_REFRESH_MINUTES: "1440",
});
try {
  const { localJson } = stack;
  const db = createDb({ kind: "sqlite", file: path.join(localJson.dataDir, "keyward.db") });
  const start = Date.now() - 100 * 86_400_000;
  for (let batch = 0; batch < REQUESTS; batch += 500)
    await db
      .insertInto("change_request")
      .values(
        Array.from({ length: 500 }, (_, i) => {
          const n = batch + i;
          const kind = KINDS[n % KINDS.length]!;
          const filed = start + n * 864_000;
          const items = n % 10 === 0 ? 50 : 1;
          return {
            id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
            kind,
            hsm: n % 2 ? "keyward-weu" : "keyward-neu",
            state: REQUEST_STATES[n % REQUEST_STATES.length]!,
            justification: `Change ${n} for the benchmark`,
            requester_id: `bench-${PEOPLE[n % PEOPLE.length]}`,
            requester_name: `Bench ${PEOPLE[n % PEOPLE.length]}`,
            owner_groups: "[]",
            policy: JSON.stringify(DEFAULT_POLICIES[kind]),
            approvals_required: 1,
            approvals: n % 3 ? 1 : 0,
            item_count: items,
            summary: items > 1 ? `Bulk change ${n}: ${items} keys` : `Change ${n}: key bench-${n}`,
            idempotency_key: `bench-${n}`,
            filed_at: filed,
            expires_at: filed + 72 * 3_600_000,
            updated_at: filed,
            decided_at: null,
            finished_at: null,
            outcome: null,
          };
        }),
      )
      .execute();
  await db.destroy();

  const session = await playwrightRequest.newContext({ baseURL: localJson.portal.url });
  await signInThroughApi(session, account(localJson, "approver"));
  const cookie = (await session.storageState()).cookies
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  await session.dispose();
  console.log(
    `requests page: ${REQUESTS.toLocaleString("en")} change requests; ${CONNECTIONS} connections, ` +
      `${DURATION_SECONDS} s each after ${WARM_UP_SECONDS} s of warm-up (${SERVER_WARM_UP_SECONDS} s before the first), ` +
      `${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  const deep = `${start + 5_000 * 864_000}:00000000-0000-4000-8000-000000005000`;
  await measurePages(
    bench.record,
    localJson.portal.url.replace("localhost", "127.0.0.1"),
    [
      "/requests",
      "/requests?toReview=true",
      "/requests?mine=true",
      "/requests?state=executed",
      "/requests?kind=key.rotation-policy&hsm=keyward-weu",
      `/requests?before=${encodeURIComponent(deep)}`,
    ],
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
