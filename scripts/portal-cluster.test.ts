import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, waitForPort } from "@keyward/local-https";
import { afterEach, describe, expect, it } from "vitest";

/*
 * The cluster launcher around a stand-in server that answers with its process id: the real
 * The standalone server is exercised by every end-to-end test, which runs the portal through this script.
 */

const script = path.join(import.meta.dirname, "portal-cluster.ts");
const server = path.join(import.meta.dirname, "fixtures", "pid-server.mjs");
let primary: ChildProcess | undefined;

async function startCluster(workers: number) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      script,
      "--workers",
      String(workers),
      "--exec",
      server,
      "--",
      "start",
      "-p",
      String(port),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  primary = child;
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  await waitForPort(port, 20_000, () => child.exitCode === null);
  const get = async (pathname = "/") => (await fetch(`http://127.0.0.1:${port}${pathname}`)).text();
  return { child, get, exited, stderr: () => stderr };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(() => {
  if (primary?.exitCode === null) primary.kill("SIGKILL");
});

/**
 * The process ids that answer on the cluster's port, until `count` have answered or 20 s passed:
 * the port answers once one worker listens, and on a busy machine the others may still start.
 */
async function workerPids(
  cluster: { get: (path?: string) => Promise<string> },
  count: number,
): Promise<Set<string>> {
  const pids = new Set<string>();
  const deadline = Date.now() + 20_000;
  while (pids.size < count && Date.now() < deadline) {
    pids.add(await cluster.get());
    if (pids.size < count) await sleep(50);
  }
  return pids;
}

describe("portal-cluster", () => {
  it("serves one port from every worker and stops them all on SIGTERM", async () => {
    const cluster = await startCluster(2);
    const pids = await workerPids(cluster, 2);
    expect(pids.size).toBe(2);

    cluster.child.kill("SIGTERM");
    expect(await cluster.exited).toBe(0);
    for (const pid of pids) expect(alive(Number(pid))).toBe(false);
  }, 30_000);

  it("stops the portal with an error when a worker dies", async () => {
    const cluster = await startCluster(2);
    const pids = await workerPids(cluster, 2);
    await cluster.get("/exit");

    expect(await cluster.exited).toBe(1);
    expect(cluster.stderr()).toMatch(
      /portal worker \d+ exited \(exit code 3\); stopping the portal/,
    );
    for (const pid of pids) expect(alive(Number(pid))).toBe(false);
  }, 30_000);

  it("refuses to start without a worker count", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", script, "--exec", server], {
      stdio: "ignore",
    });
    expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(2);
  });
});
