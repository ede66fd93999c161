// The portal as several processes on one port, started by the launcher when KEYWARD_PORTAL_WORKERS > 1.
import cluster, { type Worker } from "node:cluster";
import { parseArgs } from "node:util";

/*
 * Node's cluster module shares the listening socket and hands connections to the workers in
 * turn. Each worker runs the script given (the standalone server.js, with the arguments after
 * `--`; it reads PORT and HOSTNAME from the environment it inherits). Any worker can serve any
 * request: sessions, sign-in transactions and job leases live in the database. A worker that
 * dies stops the others, so the launcher sees the portal fail rather than serve half-capacity.
 */

const STOP_GRACE_MS = 10_000;

const { values, positionals } = parseArgs({
  options: { workers: { type: "string" }, exec: { type: "string" } },
  allowPositionals: true,
});
const workers = Number(values.workers);
const exec = values.exec;
if (!Number.isInteger(workers) || workers < 1 || !exec) {
  console.error("usage: portal-cluster --workers N --exec path/to/server.js [-- arguments]");
  process.exit(2);
}

cluster.setupPrimary({ exec, args: positionals, execArgv: [] });

let stopping = false;
const live = new Set<Worker>();

function stop(signal: NodeJS.Signals, exitCode: number): void {
  if (stopping) return;
  stopping = true;
  if (live.size === 0) process.exit(exitCode);
  for (const worker of live) worker.process.kill(signal);
  setTimeout(() => {
    for (const worker of live) worker.process.kill("SIGKILL");
  }, STOP_GRACE_MS).unref();
  cluster.on("exit", () => {
    if (live.size === 0) process.exit(exitCode);
  });
}

cluster.on("exit", (worker, code, signal) => {
  live.delete(worker);
  if (stopping) return;
  console.error(
    `portal worker ${worker.id} exited (${signal ?? `exit code ${code}`}); stopping the portal`,
  );
  stop("SIGTERM", 1);
});

for (let index = 0; index < workers; index++) live.add(cluster.fork());

for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(signal, 0));
