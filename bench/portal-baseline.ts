// npm run bench:portal – the portal's fixed cost per request, as shares of a bare route handler
import os from "node:os";
import path from "node:path";
import { request as playwrightRequest } from "@playwright/test";

import { createDb } from "@/lib/db/client";
import { account } from "@/e2e/fixtures/accounts";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";

import { startBenchStack } from "./lib/bench-stack";
import { measureLoad } from "./lib/measure";
import { startBench } from "./lib/report";
import { seedMirrorKeys, waitForStartUpSync } from "./lib/seed-mirror";

/*
 * What every request pays before it does its own work, measured side by side on one production
 * build, so that the figures are ratios that hold on any machine: a bare route handler of the
 * same build (/bench-bare: no proxy, no withRoute, no session), /api/health (proxy, withRoute,
 * one database ping), GET /api/keys with a filter over 5,000 mirrored keys (a session, a query),
 * and the /keys page with the same filter (the proxy's CSP nonce, the layout, React's render).
 * The sign-out page, measured beside them, is the floor of any page of this build.
 * The portal runs as the launcher runs it; no scheduled job runs while it is measured.
 * Targets (issue 20): /api/health ≥ 70 % of the bare handler's req/s, /api/keys ≥ 40 %, /keys ≥ 15 %.
 */

const CONNECTIONS = 10;
const DURATION_SECONDS = 8;
const WARM_UP_SECONDS = 3;
// Under load V8 keeps optimising Next's and React's paths for about half a minute.
const SERVER_WARM_UP_SECONDS = 20;
const KEYS = 5_000;
const HSM = "keyward-weu";
const QUERY = "type=EC&expiry=90d&sort=expires&dir=desc&page=2";

// The sign-out page is the floor of any page: the proxy, the root layout and React's render of
// a few elements, with no session and no data. It has no target; it shows what a page must pay.
const TARGETS: { path: string; name: string; role: "bare" | "floor" | "target"; share?: number }[] =
  [
    { path: "/bench-bare", name: "bare route handler", role: "bare" },
    { path: "/signed-out", name: "/signed-out page (no session, no data)", role: "floor" },
    { path: "/api/health", name: "/api/health", role: "target", share: 0.7 },
    {
      path: `/api/keys?${QUERY}`,
      name: "/api/keys (filtered, 5,000 keys)",
      role: "target",
      share: 0.4,
    },
    { path: `/keys?${QUERY}`, name: "/keys page (same filter)", role: "target", share: 0.15 },
  ];

const bench = await startBench("bench:portal");
const stack = await startBenchStack({
  KEYWARD_SYNC_INTERVAL_MINUTES: "1440",
  KEYWARD_DIRECTORY_REFRESH_MINUTES: "1440",
});

try {
  const { localJson } = stack;
  const db = createDb({ kind: "sqlite", file: path.join(localJson.dataDir, "keyward.db") });
  await waitForStartUpSync(db, stack.localJson.hsms.length);
  await seedMirrorKeys(db, HSM, KEYS, Date.now(), "bulk-");
  await db.destroy();

  const session = await playwrightRequest.newContext({ baseURL: localJson.portal.url });
  await signInThroughApi(session, account(localJson, "keyadmin"));
  const probe = await session.get(`/api/keys?${QUERY}`);
  if (!probe.ok())
    throw new Error(`GET /api/keys?${QUERY} answered ${probe.status()}: ${await probe.text()}`);
  const matching = (await probe.json()) as { total: number };
  const cookie = (await session.storageState()).cookies
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  await session.dispose();

  const base = localJson.portal.url.replace("localhost", "127.0.0.1");
  console.log(
    `\nportal fixed cost: ${KEYS.toLocaleString("en")} keys seeded in ${HSM}, filter "${QUERY}" ` +
      `matches ${matching.total}; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per route, ` +
      `${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  const options = {
    cookie,
    connections: CONNECTIONS,
    durationSeconds: DURATION_SECONDS,
    warmUpSeconds: WARM_UP_SECONDS,
  };
  for (const target of TARGETS)
    await measureLoad(`${base}${target.path}`, {
      ...options,
      durationSeconds: SERVER_WARM_UP_SECONDS / TARGETS.length,
      warmUpSeconds: 0,
    });

  let bare = NaN;
  for (const target of TARGETS) {
    const figures = await measureLoad(`${base}${target.path}`, options);
    if (figures.non2xx > 0) throw new Error(`${target.path} answered ${figures.non2xx} non-2xx`);
    if (target.role === "bare") bare = figures.requestsPerSecond;
    const ratio = figures.requestsPerSecond / bare;
    bench.record({
      name: `${target.name} req/s`,
      raw: figures.requestsPerSecond,
      unit: "req/s",
      kind: "http-throughput",
    });
    bench.record({ name: `${target.name} p95`, raw: figures.p95, unit: "ms", kind: "time" });
    if (target.role === "floor")
      bench.record({ name: `${target.name} ÷ bare handler`, raw: ratio, unit: "×", kind: "ratio" });
    else if (target.role === "target" && target.share !== undefined)
      bench.record({
        name: `${target.name} ÷ bare handler`,
        raw: ratio,
        unit: "×",
        kind: "ratio",
        target: { bound: "at-least", value: target.share, on: "raw" },
      });
  }
} finally {
  await stack.stop();
}
await bench.finish();
