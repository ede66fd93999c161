import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort, waitForPort } from "@keyward/local-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { EmulatorConnection } from "../src/connection";

/*
 * The emulator as another project runs it: the `hsm-emulator` command on its own (its bundled
 * identity provider, its own CA, emulator.json), and examples/emulator-client.mjs in its own
 * Node process trusting that CA through NODE_EXTRA_CA_CERTS and calling the unmodified KeyClient.
 */

const run = promisify(execFile);
const PACKAGE = path.resolve(import.meta.dirname, "..");
const COMMAND = path.join(PACKAGE, "bin", "hsm-emulator.js");
const EXAMPLE = path.join(PACKAGE, "examples", "emulator-client.mjs");
const NO_CA = { PATH: "/usr/bin:/bin", NODE_ENV: "test" as const };

let dataDir: string;
let port: number;
let emulator: ChildProcess;
let connectionFile: string;
let connection: EmulatorConnection;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hsm-emulator-command-"));
  port = await freePort();
  emulator = spawn(
    process.execPath,
    [COMMAND, "--port", String(port), "--data-dir", dataDir, "--log-level", "warn"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await waitForPort(port, 60_000, () => emulator.exitCode === null);
  connectionFile = path.join(dataDir, "emulator.json");
  for (let wait = 0; wait < 100 && !fs.existsSync(connectionFile); wait += 1)
    await new Promise((resolve) => setTimeout(resolve, 100));
  connection = JSON.parse(fs.readFileSync(connectionFile, "utf8")) as EmulatorConnection;
}, 90_000);

afterAll(async () => {
  if (emulator?.exitCode === null) {
    emulator.kill("SIGTERM");
    await new Promise((resolve) => emulator.once("exit", resolve));
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("hsm-emulator --port", () => {
  it("serves one HSM and writes how to reach it, readable by its owner only", () => {
    expect(connection.hsms).toEqual([
      { name: "local-hsm", region: "Local", url: `https://localhost:${port}` },
    ]);
    expect(connection.caFile).toBe(path.join(dataDir, "tls", "ca.pem"));
    expect(connection.tokenEndpoint).toBe(`${connection.authority}/token`);
    expect(connection.toolClient.clientSecret.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(connectionFile).mode & 0o077).toBe(0);
  });

  it("refuses bad flags with the usage and exit code 2", async () => {
    const failure = await run(process.execPath, [COMMAND, "--hsm", "x:notaport"], {
      env: NO_CA,
    }).then(
      () => null,
      (error: Error & { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/--hsm x:notaport must be a port number[\s\S]*Usage:/);
  });
});

describe("examples/emulator-client.mjs", () => {
  it("gets a token, grants itself the key roles, creates a key and signs, twice", async () => {
    for (const _attempt of [1, 2]) {
      const { stdout } = await run(process.execPath, [EXAMPLE, connectionFile], {
        env: { ...NO_CA, NODE_EXTRA_CA_CERTS: connection.caFile },
      });
      expect(JSON.parse(stdout)).toMatchObject({
        hsm: "local-hsm",
        key: expect.stringMatching(
          new RegExp(`^https://localhost:${port}/keys/example-\\d+/[0-9a-f]{32}$`),
        ) as unknown,
        signatureBytes: 256,
      });
    }
  });

  it("fails without the local CA rather than skipping verification", async () => {
    const failure = await run(process.execPath, [EXAMPLE, connectionFile], { env: NO_CA }).then(
      () => null,
      (error: Error & { stderr: string }) => error.stderr,
    );
    expect(failure).toMatch(/certificate|fetch failed/i);
  });
});
