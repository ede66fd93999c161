import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import type { ExecutorWorkerConfig } from "./executor-worker";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const WORKER = path.join(import.meta.dirname, "executor-worker.ts");

export interface ExecutorWorker {
  child: ChildProcess;
  /** What it ran, or the signal that ended it. */
  done: Promise<{ acquired: boolean; ran: string[] } | { killed: NodeJS.Signals }>;
}

/** Starts executor-worker.ts in a new process: a second portal instance's executor. */
export function startExecutorWorker(config: ExecutorWorkerConfig): ExecutorWorker {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", WORKER], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  // The configuration holds a client secret: on stdin, not in argv where anyone could read it.
  child.stdin.end(JSON.stringify(config));
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<{ acquired: boolean; ran: string[] } | { killed: NodeJS.Signals }>(
    (resolve, reject) =>
      child.on("exit", (code, signal) => {
        if (signal) resolve({ killed: signal });
        else if (code === 0) resolve(JSON.parse(out) as { acquired: boolean; ran: string[] });
        else reject(new Error(`executor worker exited with ${code}: ${err}`));
      }),
  );
  return { child, done };
}
