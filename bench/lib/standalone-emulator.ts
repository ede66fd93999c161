import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EmulatorConnection } from "@keyward/hsm-emulator";
import { freePort, waitForPort } from "@keyward/local-https";

import type { TokenSource } from "@/lib/auth/credentials";
import { childEnvironment } from "@/lib/env";
import { localAppCredential } from "@/scripts/lib/local-credential";

/*
 * `npm run emulator` as a benchmark runs it: its own process (so that the load generator does
 * not share its event loop), free ports, a throwaway data directory, its own identity provider;
 * the tool client's credential to call it with.
 */

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface StandaloneEmulator {
  connection: EmulatorConnection;
  caPem: string;
  credential: TokenSource;
  stop: () => Promise<void>;
}

/** `hsm`: one named HSM, or the two local demo HSMs when omitted. */
export async function startStandaloneEmulator(
  options: { hsm?: string; testMode?: boolean } = {},
): Promise<StandaloneEmulator> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-emulator-"));
  const ports = {
    first: await freePort(),
    second: await freePort(),
    idp: await freePort(),
    login: await freePort(),
  };
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, "packages", "hsm-emulator", "bin", "hsm-emulator.js"),
      ...["--data-dir", dataDir, "--log-level", "warn"],
      ...["--idp-port", String(ports.idp), "--idp-login-port", String(ports.login)],
      ...(options.hsm
        ? ["--hsm", `${options.hsm}:${ports.first}:West Europe`]
        : [
            ...["--hsm", `keyward-weu:${ports.first}:West Europe`],
            ...["--hsm", `keyward-neu:${ports.second}:North Europe`],
          ]),
      ...(options.testMode ? ["--test-mode"] : []),
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: childEnvironment({}) },
  );
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForPort(ports.first, 60_000, () => child.exitCode === null);
    // The command writes emulator.json once every HSM listens.
    const connectionFile = path.join(dataDir, "emulator.json");
    for (let wait = 0; wait < 100 && !fs.existsSync(connectionFile); wait += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const connection = JSON.parse(fs.readFileSync(connectionFile, "utf8")) as EmulatorConnection;
    const caPem = fs.readFileSync(connection.caFile, "utf8");
    const credential = localAppCredential({
      issuer: connection.authority,
      caPem,
      appId: connection.toolClient.clientId,
      secret: connection.toolClient.clientSecret,
    });
    return { connection, caPem, credential, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
