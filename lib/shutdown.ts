import "server-only";

/*
 * What a portal process finishes before a stop (SIGTERM or SIGINT) ends it: the last audit
 * checkpoint, the last telemetry export. Under NEXT_MANUAL_SIG_HANDLE Next leaves the signals to
 * the application, so one handler runs every task (for at most 5 s in all), then passes the
 * signal on so that it stops the process. Without it, Next's own handler exits at once and the
 * tasks are best effort.
 */

const SHUTDOWN_WAIT_MS = 5_000;
const tasks: (() => Promise<void>)[] = [];
let installed = false;
/** The one run of the tasks: a second signal (SIGINT after SIGTERM) waits for it. */
let stopping: Promise<unknown> | undefined;

function onSignal(signal: NodeJS.Signals): void {
  stopping ??= Promise.race([
    Promise.allSettled(tasks.map((task) => task())),
    new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref()),
  ]);
  const done = stopping;
  // Were this the only handler, the signal would no longer stop the process: pass it on.
  if (process.listenerCount(signal) === 0) void done.then(() => process.kill(process.pid, signal));
}

/** Runs `task` when the process is asked to stop, before the signal ends it. */
export function beforeShutdown(task: () => Promise<void>): void {
  tasks.push(task);
  if (installed) return;
  installed = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, onSignal);
}
