// npm test: the unit lane and the built lane (static checks, build, browser tests) side by side,
// then a summary of both. Each lane's own report of a failure scrolls away under the other's
// output; the summary puts the failed tests' names last, where a truncated log still shows them.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { E2E_REPORT, TEST_REPORTS_DIR, UNIT_REPORT } from "./lib/test-lanes";
import {
  playwrightReport,
  summariseTests,
  vitestReport,
  type LaneReport,
} from "./lib/test-summary";

const root = path.resolve(import.meta.dirname, "..");

// A report left by an earlier run must not stand in for a lane that dies before writing its own.
fs.rmSync(TEST_REPORTS_DIR, { recursive: true, force: true });

const lanes = spawn(
  path.join(root, "node_modules", ".bin", "run-p"),
  ["--continue-on-error", "--print-label", "test:unit", "test:built"],
  { cwd: root, stdio: "inherit" },
);
// Stopping npm test stops the lanes (and the servers they started), not only this process.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => lanes.kill(signal));

const status = await new Promise<number>((resolve, reject) => {
  lanes.on("error", reject);
  lanes.on("exit", (code, signal) =>
    resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)),
  );
});

function readReport<T>(file: string, schema: { parse(value: unknown): T }): LaneReport<T> {
  if (!fs.existsSync(file)) return { missing: "no report: the lane did not get that far" };
  try {
    return { report: schema.parse(JSON.parse(fs.readFileSync(file, "utf8"))) };
  } catch (error) {
    return {
      missing: `${path.relative(root, file)} could not be read: ${String(error).slice(0, 300)}`,
    };
  }
}

const summary = summariseTests({
  unit: readReport(UNIT_REPORT, vitestReport),
  e2e: readReport(E2E_REPORT, playwrightReport),
  lanesPassed: status === 0,
  slowest: 8,
  root,
});
console.log(summary.lines.join("\n"));
// A lane that passed without its report is not a pass: the summary could not check it.
process.exit(status !== 0 ? status : summary.complete ? 0 : 1);
