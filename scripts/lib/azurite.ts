import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { freePort, waitForPort } from "@keyward/local-https";

import { AZURITE_DEV_ACCOUNT } from "@/lib/local-azurite";

/** Azurite's fixed development account (documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = AZURITE_DEV_ACCOUNT;

/** Azurite's blob service: the command line the launcher and the tests both run. */
export function azuriteArgs(port: number, location: string): string[] {
  const main = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
  return [
    main,
    ...["--blobHost", "127.0.0.1", "--blobPort", String(port)],
    ...["--location", location],
    "--skipApiVersionCheck",
    "--disableTelemetry",
    "--silent",
  ];
}

export function blobEndpoint(port: number): string {
  return `http://127.0.0.1:${port}/${AZURITE_ACCOUNT.name}`;
}

/** Starts Azurite as a child of this process (tests); resolves once it listens. */
export async function startAzurite(
  port: number,
  location: string,
): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, azuriteArgs(port, location), {
    stdio: "ignore",
  });
  await waitForPort(port, 30_000, () => child.exitCode === null);
  return {
    endpoint: blobEndpoint(port),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Starts Azurite on a free port (tests that cannot reach @keyward/local-https themselves). */
export async function startAzuriteOnFreePort(
  location: string,
): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  return startAzurite(await freePort(), location);
}
