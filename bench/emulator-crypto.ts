// npm run bench:emulator – RSA-2048 signs and AES-256-GCM encryptions per second through the emulator
import {
  constants,
  createCipheriv,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
} from "node:crypto";
import https from "node:https";
import os from "node:os";
import { rawRequest } from "@keyward/local-https";

import { startBench } from "./lib/report";
import { startStandaloneEmulator } from "./lib/standalone-emulator";

/*
 * The emulator runs as its own process (as `npm run emulator` does, with its data on disk); this
 * process is the client: CONCURRENCY callers over keep-alive HTTPS, each sending the next request
 * when the previous one answers. Next to it, the same operations in a loop on raw node:crypto,
 * which bounds what any server on this machine could do. Target: 900 RSA-2048 signs per second
 * on the day raw signing ran at 4,405/s, so as a ratio: REST signing ≥ 0.2 × raw single-thread
 * signing (the calibration's unit).
 */

const DURATION_MS = 5_000;
const WARM_UP_MS = 1_000;
const CONCURRENCY = [1, 16];
const SIGN_TARGET_SHARE_OF_RAW = 0.2;
const API = "api-version=7.6";

const bench = await startBench("bench:emulator");
const emulator = await startStandaloneEmulator();

interface Sample {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

/** Runs `operation` from `concurrency` callers for DURATION_MS after a warm-up. */
async function measure(concurrency: number, operation: () => Promise<void>): Promise<Sample> {
  const warmUpEnd = Date.now() + WARM_UP_MS;
  const end = warmUpEnd + DURATION_MS;
  const latencies: number[] = [];
  let errors = 0;
  const caller = async () => {
    while (Date.now() < end) {
      const started = performance.now();
      try {
        await operation();
        if (Date.now() >= warmUpEnd) latencies.push(performance.now() - started);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / (DURATION_MS / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

function rawLoop(operation: () => void): number {
  const end = performance.now() + DURATION_MS;
  let count = 0;
  while (performance.now() < end) {
    operation();
    count += 1;
  }
  return count / (DURATION_MS / 1000);
}

try {
  const { connection, caPem, credential: tokens } = emulator;
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: Math.max(...CONCURRENCY),
    ca: caPem,
  });
  const { token } = (await tokens.getToken(connection.scope))!;
  const hsm = connection.hsms[0]!.url;

  const call = async (method: string, route: string, body?: unknown) => {
    const url = `${hsm}${route}${route.includes("?") ? "&" : "?"}${API}`;
    const response = await rawRequest(url, method, { agent, token, body });
    if (response.status >= 300)
      throw new Error(`${method} ${route}: HTTP ${response.status} ${response.text}`);
    return response.body;
  };

  for (const [role, name] of [
    ["515eb02d-2335-4d2d-92f2-b1cbdf9c3778", "0b7c7e51-0000-4000-8000-000000000001"],
    ["21dbd100-6940-42c2-9190-5d6cb909625b", "0b7c7e51-0000-4000-8000-000000000002"],
  ] as const)
    await call("PUT", `/providers/Microsoft.Authorization/roleAssignments/${name}`, {
      properties: {
        roleDefinitionId: `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${role}`,
        principalId: connection.toolClient.objectId,
      },
    });
  await call("POST", "/keys/bench-rsa/create", { kty: "RSA-HSM", key_size: 2048 });
  await call("POST", "/keys/bench-aes/create", { kty: "oct-HSM", key_size: 256 });

  const digest = randomBytes(32).toString("base64url");
  const plaintext = randomBytes(256).toString("base64url");
  const restSign = () =>
    call("POST", "/keys/bench-rsa/sign", { alg: "RS256", value: digest }).then(() => undefined);
  const restEncrypt = () =>
    call("POST", "/keys/bench-aes/encrypt", { alg: "A256GCM", value: plaintext }).then(
      () => undefined,
    );

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const digestInfo = Buffer.concat([
    Buffer.from("3031300d060960864801650304020105000420", "hex"),
    randomBytes(32),
  ]);
  const aesKey = randomBytes(32);
  const rawPlaintext = randomBytes(256);
  const rawSign = () =>
    rawLoop(() =>
      privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo),
    );
  const rawEncrypt = () =>
    rawLoop(() => {
      const cipher = createCipheriv("aes-256-gcm", aesKey, randomBytes(12));
      cipher.update(rawPlaintext);
      cipher.final();
      cipher.getAuthTag();
    });

  console.log(
    `emulator crypto: ${DURATION_MS / 1000} s per run after ${WARM_UP_MS / 1000} s warm-up, ${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  console.log("operation                        callers    ops/s    p50 ms   p99 ms   errors");
  const row = (
    label: string,
    callers: string,
    sample: Pick<Sample, "perSecond"> & Partial<Sample>,
  ) =>
    console.log(
      [
        label.padEnd(32),
        callers.padStart(7),
        sample.perSecond.toFixed(0).padStart(8),
        (sample.p50?.toFixed(1) ?? "–").padStart(9),
        (sample.p99?.toFixed(1) ?? "–").padStart(8),
        String(sample.errors ?? "–").padStart(8),
      ].join(" "),
    );

  let bestSign = 0;
  for (const callers of CONCURRENCY) {
    const sample = await measure(callers, restSign);
    bestSign = Math.max(bestSign, sample.perSecond);
    row("RSA-2048 sign RS256 (REST)", String(callers), sample);
  }
  const rawSignsPerSecond = rawSign();
  row("RSA-2048 sign (raw node:crypto)", "1", { perSecond: rawSignsPerSecond });
  let bestEncrypt = 0;
  for (const callers of CONCURRENCY) {
    const sample = await measure(callers, restEncrypt);
    bestEncrypt = Math.max(bestEncrypt, sample.perSecond);
    row("AES-256-GCM encrypt 256 B (REST)", String(callers), sample);
  }
  row("AES-256-GCM encrypt (raw)", "1", { perSecond: rawEncrypt() });
  agent.destroy();
  bench.record({
    name: "RSA-2048 signs through REST (best)",
    raw: bestSign,
    unit: "signs/s",
    kind: "cpu-rate",
    target: { bound: "at-least", value: SIGN_TARGET_SHARE_OF_RAW, on: "normalised" },
  });
  bench.record({
    name: "REST signing ÷ this run's raw loop",
    raw: bestSign / rawSignsPerSecond,
    unit: "×",
    kind: "ratio",
  });
  bench.record({
    name: "AES-256-GCM encryptions through REST (best)",
    raw: bestEncrypt,
    unit: "ops/s",
    kind: "cpu-rate",
  });
} finally {
  await emulator.stop();
}
await bench.finish();
