// npm run bench:telemetry – what telemetry costs an HSM request, off and on
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import { createHsmHandle } from "@/lib/hsm/handle";
import { hsmTelemetryPolicy } from "@/lib/hsm/telemetry-policy";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { startTelemetry } from "@/lib/telemetry/start";
import { startTestStack } from "@/scripts/lib/test-stack";

import { startBench } from "./lib/report";

/*
 * Two measurements, each with telemetry off and then on (the SDK exporting over OTLP/HTTP to a
 * receiver in this process that discards what it gets):
 * - the telemetry policy alone around a request that answers at once, in µs per request: the
 *   cost added to every HSM request;
 * - reads of one key through the portal's HSM handle from the emulator, 16 at a time, in reads
 *   per second: whether that cost shows against a real request.
 * Targets: off, the policy costs at most 1 µs a request (the issue: "off at no cost"); on, the
 * emulator reads keep at least 0.9 of their rate with telemetry off.
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

async function policyMicros(): Promise<number> {
  const policy = hsmTelemetryPolicy(HSM);
  const request: PipelineRequest = createPipelineRequest({
    url: `https://${HSM}.managedhsm.azure.net/keys/${KEY}?api-version=7.6`,
    method: "GET",
  });
  const response: PipelineResponse = { request, status: 200, headers: createHttpHeaders() };
  const next = () => Promise.resolve(response);
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
  const offPolicy = await policyMicros();
  const offReads = await readsPerSecond();
  const telemetry = await startTelemetry(
    {
      endpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      headers: {},
      serviceName: "keyward-bench",
      metricIntervalMs: 1_000,
    },
    "bench",
  );
  const onPolicy = await policyMicros();
  const onReads = await readsPerSecond();
  await telemetry?.shutdown();
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
    target: { bound: "at-least", value: 0.9, on: "raw" },
  });
} finally {
  receiver.close();
  await stack.close();
}
await bench.finish();
