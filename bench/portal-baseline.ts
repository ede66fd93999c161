// npm run bench:portal – request throughput and latency of the portal's cheapest routes
import os from "node:os";
import autocannon from "autocannon";

import { startBenchStack } from "./lib/bench-stack";

/*
 * A baseline for later benchmarks: what the portal answers per second on this machine for a
 * JSON route through withRoute (/api/health), a route that calls out to every dependency
 * (/api/ready), and a server-rendered page (/status). Starts its own stack on free ports.
 */

const DURATION_SECONDS = 5;
const CONNECTIONS = 10;
const TARGETS = ["/api/health", "/api/ready", "/status"];

const stack = await startBenchStack();

try {
  const base = stack.localJson.portal.url.replace("localhost", "127.0.0.1");
  console.log(
    `portal baseline: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per route, ${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  console.log("route          req/s    p50 ms   p97.5 ms   p99 ms   non-2xx");
  for (const target of TARGETS) {
    await autocannon({ url: `${base}${target}`, connections: CONNECTIONS, duration: 1 }); // warm-up
    const result = await autocannon({
      url: `${base}${target}`,
      connections: CONNECTIONS,
      duration: DURATION_SECONDS,
    });
    console.log(
      [
        target.padEnd(14),
        result.requests.average.toFixed(0).padStart(6),
        String(result.latency.p50).padStart(9),
        String(result.latency.p97_5).padStart(10),
        String(result.latency.p99).padStart(8),
        String(result.non2xx).padStart(9),
      ].join(" "),
    );
  }
} finally {
  await stack.stop();
}
