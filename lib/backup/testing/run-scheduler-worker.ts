import path from "node:path";

import { startWorkerProcess, type WorkerProcess } from "@/lib/testing/worker-process";

import type { SchedulerWorkerConfig, SchedulerWorkerResult } from "./scheduler-worker";

const WORKER = path.join(import.meta.dirname, "scheduler-worker.ts");

/** Starts scheduler-worker.ts in a new process: a second portal instance's backup scheduler. */
export function startSchedulerWorker(
  config: SchedulerWorkerConfig,
): WorkerProcess<SchedulerWorkerResult> {
  return startWorkerProcess(WORKER, config);
}
