import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

import type { ExecutorWorkerConfig } from "./executor-worker";

/*
 * An executor process started ahead of time: executor-worker.ts loads the portal, then waits
 * for its configuration on stdin. A test that kills executors one after another starts the
 * next while the current one runs, so that each kill is followed by an executor at once.
 *
 * The worker runs bundled by esbuild (tsx's own compiler, with the same tsconfig), not through
 * tsx's loader: the same code, but a process loads in about a third of the CPU time, which
 * eleven processes per database make the bulk of the suite's cost on two cores. Packages stay
 * external and load from node_modules as in the portal.
 */

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const WORKER = path.join(import.meta.dirname, "executor-worker.ts");

let bundled: Promise<string> | undefined;

/** The worker bundled once per test process, under node_modules so that its imports resolve. */
function workerBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = path.join(
      ROOT,
      "node_modules",
      ".cache",
      "keyward-faults",
      `executor-worker-${process.pid}.mjs`,
    );
    await build({
      entryPoints: [WORKER],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      tsconfig: path.join(ROOT, "tsconfig.json"),
      outfile,
      logLevel: "warning",
    });
    return outfile;
  })();
  return bundled;
}

/** Deletes the bundle (a test file's afterAll, once its executors have ended). */
export async function removeWorkerBundle(): Promise<void> {
  if (!bundled) return;
  const outfile = await bundled.catch(() => null);
  bundled = undefined;
  if (outfile) fs.rmSync(outfile, { force: true });
}

export interface WaitingExecutor {
  child: ChildProcess;
  /** Hands the executor its configuration: it starts executing. */
  go: (config: ExecutorWorkerConfig) => void;
  /** What it printed on its way out, or the signal that ended it. */
  done: Promise<{ acquired: boolean; ran: string[] } | { killed: NodeJS.Signals }>;
}

export async function startWaitingExecutor(): Promise<WaitingExecutor> {
  const child = spawn(process.execPath, ["--conditions=react-server", await workerBundle()], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<{ acquired: boolean; ran: string[] } | { killed: NodeJS.Signals }>(
    (resolve, reject) =>
      child.on("exit", (code, signal) => {
        if (signal) resolve({ killed: signal });
        else if (code === 0) resolve(JSON.parse(out) as { acquired: boolean; ran: string[] });
        else reject(new Error(`executor-worker.ts exited with ${code}: ${err}`));
      }),
  );
  // The configuration holds a client secret: stdin, never argv.
  return { child, go: (config) => child.stdin.end(JSON.stringify(config)), done };
}
