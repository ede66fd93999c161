import path from "node:path";

import { startWorkerProcess, type WorkerProcess } from "@/lib/testing/worker-process";

import type { ExecutorWorkerConfig } from "./executor-worker";

const WORKER = path.join(import.meta.dirname, "executor-worker.ts");

export type ExecutorWorker = WorkerProcess<{ acquired: boolean; ran: string[] }>;

/** Starts executor-worker.ts in a new process: a second portal instance's executor. */
export function startExecutorWorker(config: ExecutorWorkerConfig): ExecutorWorker {
  return startWorkerProcess(WORKER, config);
}
