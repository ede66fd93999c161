// npm test: the unit lane and the built lane (static checks, build, browser tests) side by side,
// then a summary of both. Each lane's own report of a failure scrolls away under the other's
// output; the summary puts the failed tests' names last, where a truncated log still shows them.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { E2E_REPORT, TEST_REPORTS_DIR, UNIT_REPORT } from "./lib/test-lanes";
import { playwrightReport, summariseTests, vitestReport } from "./lib/test-summary";

const root = path.resolve(import.meta.dirname, "..");

// A report left by an earlier run must not stand in for a lane that dies before writing its own.
fs.rmSync(TEST_REPORTS_DIR, { recursive: true, force: true });

const lanes = spawnSync(
  path.join(root, "node_modules", ".bin", "run-p"),
  ["--continue-on-error", "--print-label", "test:unit", "test:built"],
  { cwd: root, stdio: "inherit" },
);

function readReport<T>(file: string, schema: { parse(value: unknown): T }): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return schema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (error) {
    console.log(`${path.relative(root, file)} could not be read: ${String(error).slice(0, 300)}`);
    return undefined;
  }
}

const summary = summariseTests({
  unit: readReport(UNIT_REPORT, vitestReport),
  e2e: readReport(E2E_REPORT, playwrightReport),
  slowest: 8,
  root,
});
console.log(summary.join("\n"));

if (lanes.error) throw lanes.error;
process.exit(lanes.status ?? 1);
