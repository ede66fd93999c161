import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const WORKER = path.join(import.meta.dirname, "append-worker.ts");

export interface WorkerResult {
  name: string;
  count: number;
  /** The worker's own append loop, without its start-up. */
  ms: number;
}

/** Runs append-worker.ts in a new process against a database (postgres URL or SQLite file). */
export function runAppendWorker(database: string, count: number, name: string) {
  return new Promise<WorkerResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", WORKER, database, String(count), name],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as WorkerResult)
        : reject(new Error(`append worker ${name} exited with ${code}: ${err}`)),
    );
  });
}
