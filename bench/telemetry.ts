// npm run bench:telemetry – what telemetry costs an HSM request, off and on
import http from "node:http";
import type { AddressInfo } from "node:net";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import { createHsmHandle } from "@/lib/hsm/handle";
import { hsmTelemetryPolicy } from "@/lib/hsm/telemetry-policy";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { setTelemetryOn } from "@/lib/telemetry/instruments";
import { startTelemetry } from "@/lib/telemetry/start";
import { startTestStack } from "@/scripts/lib/test-stack";

import { startBench } from "./lib/report";

/*
 * Two measurements, each with telemetry off and on in turn (the SDK exporting over OTLP/HTTP to
 * a receiver in this process that discards what it gets):
 * - the telemetry policy alone around a request that answers at once, in µs per request net of
 *   a policy that only passes the request on: the cost added to every HSM request;
 * - reads of one key through the portal's HSM handle from the emulator, 16 at a time, in reads
 *   per second: whether that cost shows against a real request.
 * Targets: off, the policy costs at most 1 µs a request (the issue: "off at no cost"); on, at
 * most 50 µs of CPU a request (a request to an HSM in Azure takes milliseconds). The emulator's
 * reads are CPU-bound here, the emulator sharing this process and its cores, so their ratio
 * shows the worst case rather than what a portal in front of Azure would see; it has no target.
 */

const HSM = "bench-telemetry";
const KEY = "bench-key";
const POLICY_CALLS = 200_000;
const DURATION_MS = 5_000;
const CONCURRENCY = 16;

const bench = await startBench("bench:telemetry");
const stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));

type Policy = ReturnType<typeof hsmTelemetryPolicy>;
type Request = Parameters<Policy["sendRequest"]>[0];
type Next = Parameters<Policy["sendRequest"]>[1];

/** A policy that only passes the request on: what any policy in the pipeline costs at least. */
const PASS_THROUGH: Policy = {
  name: "pass-through",
  sendRequest: (request, next) => next(request),
};

/** µs per request through `policy`, net of the pass-through policy measured the same way. */
async function policyMicros(policy: Policy = hsmTelemetryPolicy(HSM)): Promise<number> {
  return (await loopMicros(policy)) - (await loopMicros(PASS_THROUGH));
}

async function loopMicros(policy: Policy): Promise<number> {
  // The policy reads the request's method and URL, and the response's status, only.
  const request = {
    url: `https://${HSM}.managedhsm.azure.net/keys/${KEY}?api-version=7.6`,
    method: "GET",
  } as Request;
  const response = { request, status: 200 } as Awaited<ReturnType<Next>>;
  const next: Next = () => Promise.resolve(response);
  for (let i = 0; i < 10_000; i += 1) await policy.sendRequest(request, next);
  const started = performance.now();
  for (let i = 0; i < POLICY_CALLS; i += 1) await policy.sendRequest(request, next);
  return ((performance.now() - started) * 1000) / POLICY_CALLS;
}

async function readsPerSecond(): Promise<number> {
  const handle = createHsmHandle(
    { name: HSM, region: "West Europe", url: stack.hsmUrl(HSM), caPem: stack.caPem },
    stack.credential(LOCAL_TOOL_CLIENT_ID),
  );
  await handle.interactive.keys.getKey(KEY);
  const deadline = performance.now() + DURATION_MS;
  let reads = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await handle.interactive.keys.getKey(KEY);
        reads += 1;
      }
    }),
  );
  return reads / (DURATION_MS / 1000);
}

try {
  await stack.grant(
    HSM,
    stack.principalOf(LOCAL_TOOL_CLIENT_ID),
    BUILT_IN_ROLES.cryptoUser,
    "/keys",
  );
  await stack.keyClient(HSM).createEcKey(KEY, { curve: "P-256" });
  // A first round warms the JIT, the connections and the emulator; its figures are dropped.
  await policyMicros();
  await readsPerSecond();
  const telemetry = await startTelemetry(
    {
      endpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      headers: {},
      serviceName: "keyward-bench",
      metricIntervalMs: 60_000,
    },
    "bench",
  );
  // Off and on alternate, twice each, the SDK registered throughout (off: the portal's switch
  // is off, as when no endpoint is set); the best of each, so that a stall of the shared
  // machine in one round does not decide the ratio.
  const rounds = { offPolicy: Infinity, onPolicy: Infinity, offReads: 0, onReads: 0 };
  for (let round = 0; round < 2; round += 1)
    for (const on of [false, true]) {
      setTelemetryOn(on);
      const micros = await policyMicros();
      const reads = await readsPerSecond();
      if (on) {
        rounds.onPolicy = Math.min(rounds.onPolicy, micros);
        rounds.onReads = Math.max(rounds.onReads, reads);
      } else {
        rounds.offPolicy = Math.min(rounds.offPolicy, micros);
        rounds.offReads = Math.max(rounds.offReads, reads);
      }
    }
  await telemetry?.shutdown();
  const { offPolicy, onPolicy, offReads, onReads } = rounds;
  console.log(`policy: ${offPolicy.toFixed(3)} µs off, ${onPolicy.toFixed(3)} µs on`);
  console.log(`reads: ${offReads.toFixed(0)}/s off, ${onReads.toFixed(0)}/s on`);
  bench.record({
    name: "telemetry policy per request, off",
    raw: offPolicy / 1000,
    unit: "ms",
    kind: "time",
    target: { bound: "at-most", value: 0.001, on: "raw" },
  });
  bench.record({
    name: "telemetry policy per request, on",
    raw: onPolicy / 1000,
    unit: "ms",
    kind: "time",
    target: { bound: "at-most", value: 0.05, on: "raw" },
  });
  bench.record({
    name: "HSM key reads, telemetry off",
    raw: offReads,
    unit: "reads/s",
    kind: "cpu-rate",
  });
  bench.record({
    name: "HSM key reads, telemetry on",
    raw: onReads,
    unit: "reads/s",
    kind: "cpu-rate",
  });
  bench.record({
    name: "HSM key reads, on ÷ off",
    raw: onReads / offReads,
    unit: "×",
    kind: "ratio",
  });
} finally {
  receiver.close();
  await stack.close();
}
await bench.finish();
