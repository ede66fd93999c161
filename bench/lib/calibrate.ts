import { spawn } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { once } from "node:events";

import { measureLoad } from "./measure";

/*
 * The machine's speed, measured in the benchmark's own process tree when it starts and when it
 * ends: these machines change speed from day to day (raw RSA-2048 signing was 4,405/s one day
 * and 1,060/s another), so a figure only means something next to the speed it was measured at.
 * - `rsaSignsPerSecond`: RSA-2048 SHA-256 signatures on one thread with node:crypto, the unit
 *   for CPU-bound work (a page's render, a sync's parsing, the emulator's signing).
 * - `httpRequestsPerSecond`: a bare node:http server in its own process answering a small JSON
 *   body, loaded by autocannon from this process with the connections the benchmarks use: the
 *   ceiling for any route on this machine, and the unit for throughput.
 */

export interface Calibration {
  rsaSignsPerSecond: number;
  httpRequestsPerSecond: number;
}

const SIGN_MS = 2_000;
const HTTP_SECONDS = 5;
const HTTP_CONNECTIONS = 10;

function rsaSignsPerSecond(): number {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const data = Buffer.alloc(32, 7);
  for (let i = 0; i < 50; i++) sign("sha256", data, privateKey); // warm-up
  let signs = 0;
  const started = performance.now();
  while (performance.now() - started < SIGN_MS) {
    sign("sha256", data, privateKey);
    signs += 1;
  }
  return signs / ((performance.now() - started) / 1000);
}

/** The bare server: no framework, one JSON body, keep-alive; it prints its port when listening. */
const BARE_SERVER = `
const http = require("node:http");
const body = JSON.stringify({ status: "pass" });
const server = http.createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  response.end(body);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
`;

async function httpRequestsPerSecond(): Promise<number> {
  const server = spawn(process.execPath, ["-e", BARE_SERVER], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const [line] = (await once(server.stdout, "data")) as [Buffer];
    const url = `http://127.0.0.1:${line.toString().trim()}/`;
    const figures = await measureLoad(url, {
      connections: HTTP_CONNECTIONS,
      durationSeconds: HTTP_SECONDS,
      warmUpSeconds: 1,
    });
    return figures.requestsPerSecond;
  } finally {
    server.kill();
  }
}

export async function calibrate(): Promise<Calibration> {
  return {
    rsaSignsPerSecond: rsaSignsPerSecond(),
    httpRequestsPerSecond: await httpRequestsPerSecond(),
  };
}

export function describeCalibration(calibration: Calibration): string {
  return (
    `RSA-2048 ${calibration.rsaSignsPerSecond.toFixed(0)} signs/s on one thread, ` +
    `bare node:http ${calibration.httpRequestsPerSecond.toFixed(0)} req/s at ${HTTP_CONNECTIONS} connections`
  );
}
