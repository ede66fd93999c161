import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface WorkerProcess<T> {
  child: ChildProcess;
  /** What the worker printed as JSON on its way out, or the signal that ended it. */
  done: Promise<T | { killed: NodeJS.Signals }>;
}

/**
 * Starts a TypeScript worker in a process of its own: a second portal instance, for the tests
 * that race two instances or kill one half-way. The configuration holds a client secret, so it
 * goes on stdin, not in argv where anyone on the machine could read it.
 */
export function startWorkerProcess<T>(script: string, config: unknown): WorkerProcess<T> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(JSON.stringify(config));
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<T | { killed: NodeJS.Signals }>((resolve, reject) =>
    child.on("exit", (code, signal) => {
      if (signal) resolve({ killed: signal });
      else if (code === 0) resolve(JSON.parse(out) as T);
      else reject(new Error(`${path.basename(script)} exited with ${code}: ${err}`));
    }),
  );
  return { child, done };
}
