// npm run bench [name …] – every benchmark (or the ones named) in turn, into bench/results.json
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { childEnvironment } from "@/lib/env";

import { describeCalibration } from "./lib/calibrate";
import {
  FIGURE_TABLE_HEADER,
  formatFigureRow,
  markdownTable,
  meanCalibration,
  type BenchResult,
} from "./lib/report";

/*
 * Runs the benchmarks one after another (each starts its own stack; two at once would share
 * the CPUs and spoil both), each in its own process as `npm run bench:<name>` runs it. Every
 * benchmark calibrates the machine at its start and end and hands its figures over through the
 * file named by KEYWARD_BENCH_RESULTS; this writes them to bench/results.json (replacing those
 * benchmarks' earlier entries, keeping the others') and prints one table: figure, raw,
 * normalised, target, met. A benchmark that fails is named and the rest run.
 * `npm run bench -- --markdown` prints bench/results.json as the README's table.
 */

const BENCHES: Record<string, string> = {
  portal: "portal-baseline.ts",
  emulator: "emulator-crypto.ts",
  sync: "inventory-sync.ts",
  page: "inventory-page.ts",
  audit: "audit.ts",
  "audit-log": "audit-log.ts",
  "audit-page": "audit-page.ts",
  requests: "requests.ts",
  "requests-page": "requests-page.ts",
  backup: "backup.ts",
  evidence: "evidence.ts",
  telemetry: "telemetry.ts",
};

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS = path.join(ROOT, "bench", "results.json");

function readResults(): BenchResult[] {
  if (!fs.existsSync(RESULTS)) return [];
  return (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as { benches: BenchResult[] }).benches;
}

if (process.argv[2] === "--markdown") {
  console.log(markdownTable(readResults()));
  process.exit(0);
}

const named = process.argv.slice(2);
const unknown = named.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(
    `no benchmark called ${unknown.join(", ")}; the benchmarks are ${Object.keys(BENCHES).join(", ")}`,
  );
  process.exit(2);
}
const chosen = named.length > 0 ? named : Object.keys(BENCHES);

function runOne(file: string, resultsFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", path.join("bench", file)],
      {
        cwd: ROOT,
        stdio: "inherit",
        env: childEnvironment({ KEYWARD_BENCH_RESULTS: resultsFile }),
      },
    );
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const startedAt = new Date();
const resultsFile = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-")),
  "results.jsonl",
);
const failed: string[] = [];
for (const name of chosen) {
  console.log(`\n━━ bench:${name} ━━`);
  const code = await runOne(BENCHES[name]!, resultsFile);
  if (code !== 0) failed.push(name);
}

const fresh: BenchResult[] = fs.existsSync(resultsFile)
  ? fs
      .readFileSync(resultsFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as BenchResult)
  : [];
// A run of some benchmarks replaces their entries and keeps the others' (each has its own date
// and calibration), in the order of BENCHES.
const order = Object.keys(BENCHES).map((name) => `bench:${name}`);
const results = [
  ...readResults().filter((kept) => !fresh.some((result) => result.bench === kept.bench)),
  ...fresh,
].sort((a, b) => order.indexOf(a.bench) - order.indexOf(b.bench));
fs.writeFileSync(
  RESULTS,
  `${JSON.stringify(
    {
      lastRun: {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        benches: chosen,
      },
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "",
        node: process.version,
      },
      benches: results,
      failed,
    },
    null,
    2,
  )}\n`,
);

console.log(
  `\n━━ ${fresh.length} benchmark${fresh.length === 1 ? "" : "s"} run; bench/results.json holds ${results.length} ━━`,
);
console.log(FIGURE_TABLE_HEADER);
for (const result of fresh) {
  console.log(
    `${result.bench}: ${describeCalibration(meanCalibration(result.calibration.start, result.calibration.end))}`,
  );
  for (const figure of result.figures) console.log(formatFigureRow(figure));
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.map((name) => `bench:${name}`).join(", ")}`);
  process.exitCode = 1;
}
