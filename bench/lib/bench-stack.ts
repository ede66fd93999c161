import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { LocalJson } from "@/scripts/lib/local-json";
import { startStack } from "@/scripts/lib/stack";

/*
 * The whole local stack for a benchmark: the production build, free ports, a throwaway data
 * directory (logs in it), stopped and removed by `stop`. A service that dies ends the benchmark.
 */

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export async function startBenchStack(environment: Record<string, string> = {}): Promise<{
  localJson: LocalJson;
  root: string;
  stop: () => Promise<void>;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-"));
  // Set once the stack is up: a service that dies later takes the others down with it, so that
  // none is left running without its parent. During the start, startStack stops them itself;
  // one that dies between its own readiness check and the end of the start is caught below.
  let started: { killNow: () => void } | undefined;
  let diedDuringStart: string | undefined;
  try {
    const stack = await startStack({
      root: ROOT,
      portal: "start",
      ports: "free",
      environment: { KEYWARD_BENCH_BARE_ROUTE: "1", ...environment },
      dataDir,
      output: { kind: "files", dir: path.join(dataDir, "logs") },
      onUnexpectedExit: (service) => {
        console.error(`${service} exited during the benchmark (logs in ${dataDir}/logs)`);
        if (!started) {
          diedDuringStart ??= service;
          return;
        }
        started.killNow();
        process.exit(1);
      },
    });
    if (diedDuringStart) {
      stack.killNow();
      throw new Error(`${diedDuringStart} exited while the stack was starting`);
    }
    started = stack;
    return {
      localJson: stack.localJson,
      root: ROOT,
      stop: async () => {
        await stack.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    console.error(`the stack did not start; its logs are in ${dataDir}/logs`);
    throw error;
  }
}
