import fs from "node:fs";

import { readTestSettings } from "@/lib/env";

import { calibrate, describeCalibration, type Calibration } from "./calibrate";

/*
 * A benchmark's figures, each raw and normalised by the machine's speed measured in the same
 * run (calibrate.ts, at the start and the end; their mean is the unit):
 * - a time (ms, s) becomes RSA-sign times: how many RSA-2048 signatures one thread of this
 *   machine makes in that time. 139 ms on a machine signing 2,300/s is 320; on a machine twice
 *   as fast the same code takes ~70 ms, still ~320.
 * - a throughput of HTTP requests becomes a share of the bare node:http server's req/s;
 * - a rate of CPU-bound operations becomes a share of raw single-thread RSA signing;
 * - a ratio of two things measured side by side, and a size, need no normalising.
 * `npm run bench` (bench/run.ts) collects every benchmark's figures into bench/results.json
 * through the file named by KEYWARD_BENCH_RESULTS; run alone, a benchmark prints them.
 */

export type FigureKind = "time" | "http-throughput" | "cpu-rate" | "ratio" | "size";

export interface Target {
  /** `at-most` for times and sizes, `at-least` for rates and ratios. */
  bound: "at-most" | "at-least";
  value: number;
  /** Which of the figure's two values the target is stated on. */
  on: "raw" | "normalised";
}

export interface FigureInput {
  name: string;
  raw: number;
  unit: string;
  kind: FigureKind;
  target?: Target;
}

export interface Figure extends FigureInput {
  normalised: number;
  normalisedUnit: string;
  met: boolean | null;
}

export interface BenchResult {
  bench: string;
  /** When the benchmark finished (ISO 8601). */
  ranAt: string;
  calibration: { start: Calibration; end: Calibration };
  figures: Figure[];
}

function unitTime(calibration: Calibration): number {
  return 1_000 / calibration.rsaSignsPerSecond;
}

export function normalise(
  input: FigureInput,
  calibration: Calibration,
): Omit<Figure, keyof FigureInput | "met"> {
  switch (input.kind) {
    case "time": {
      const milliseconds = input.unit === "s" ? input.raw * 1_000 : input.raw;
      return { normalised: milliseconds / unitTime(calibration), normalisedUnit: "RSA-sign times" };
    }
    case "http-throughput":
      return {
        normalised: input.raw / calibration.httpRequestsPerSecond,
        normalisedUnit: "× bare node:http",
      };
    case "cpu-rate":
      return { normalised: input.raw / calibration.rsaSignsPerSecond, normalisedUnit: "× raw RSA" };
    case "ratio":
    case "size":
      return { normalised: input.raw, normalisedUnit: input.unit };
  }
}

export function targetMet(target: Target | undefined, raw: number, normalised: number) {
  if (!target) return null;
  const value = target.on === "raw" ? raw : normalised;
  return target.bound === "at-most" ? value <= target.value : value >= target.value;
}

export function meanCalibration(a: Calibration, b: Calibration): Calibration {
  return {
    rsaSignsPerSecond: (a.rsaSignsPerSecond + b.rsaSignsPerSecond) / 2,
    httpRequestsPerSecond: (a.httpRequestsPerSecond + b.httpRequestsPerSecond) / 2,
  };
}

function formatNumber(value: number): string {
  // Shares of the bare server are small (0.0236): three significant digits keep them readable.
  if (Math.abs(value) < 1) return value.toLocaleString("en", { maximumSignificantDigits: 3 });
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString("en", { maximumFractionDigits: digits });
}

export function describeTarget(
  target: Target | undefined,
  figure: Pick<Figure, "unit" | "normalisedUnit">,
) {
  if (!target) return "";
  const unit = target.on === "raw" ? figure.unit : figure.normalisedUnit;
  return `${target.bound === "at-most" ? "≤" : "≥"} ${formatNumber(target.value)} ${unit}`;
}

export const FIGURE_TABLE_HEADER = [
  "figure".padEnd(52),
  "raw".padStart(16),
  "normalised".padStart(28),
  "target".padStart(30),
  "met".padStart(8),
].join("  ");

export function formatFigureRow(figure: Figure): string {
  const met = figure.met === null ? "" : figure.met ? "met" : "NOT met";
  return [
    `  ${figure.name}`.padEnd(52),
    `${formatNumber(figure.raw)} ${figure.unit}`.padStart(16),
    `${formatNumber(figure.normalised)} ${figure.normalisedUnit}`.padStart(28),
    describeTarget(figure.target, figure).padStart(30),
    met.padStart(8),
  ].join("  ");
}

/** Calibrates now; `record` the figures as they are measured, then `finish`. */
export async function startBench(bench: string) {
  const start = await calibrate();
  console.log(`calibration at the start: ${describeCalibration(start)}`);
  const inputs: FigureInput[] = [];
  return {
    record: (figure: FigureInput) => {
      inputs.push(figure);
    },
    /** Calibrates again, prints every figure raw and normalised, and hands them to `npm run bench`. */
    async finish(): Promise<BenchResult> {
      const end = await calibrate();
      console.log(`\ncalibration at the end:   ${describeCalibration(end)}`);
      const unit = meanCalibration(start, end);
      const figures = inputs.map((input): Figure => {
        const normalised = normalise(input, unit);
        return {
          ...input,
          ...normalised,
          met: targetMet(input.target, input.raw, normalised.normalised),
        };
      });
      console.log(`\n${bench}: figures raw and normalised by the mean calibration`);
      console.log(FIGURE_TABLE_HEADER);
      for (const figure of figures) console.log(formatFigureRow(figure));
      const result: BenchResult = {
        bench,
        ranAt: new Date().toISOString(),
        calibration: { start, end },
        figures,
      };
      const file = readTestSettings().benchResultsFile;
      if (file) fs.appendFileSync(file, `${JSON.stringify(result)}\n`);
      return result;
    },
  };
}

/** The results as the README's table: one heading row per benchmark with its calibration. */
export function markdownTable(results: readonly BenchResult[]): string {
  const lines = [
    "| figure | raw | normalised | target | met |",
    "| ------ | --: | ---------: | ------ | --- |",
  ];
  for (const result of results) {
    const unit = meanCalibration(result.calibration.start, result.calibration.end);
    lines.push(
      `| **${result.bench}**, ${result.ranAt.slice(0, 10)}: ${describeCalibration(unit)} | | | | |`,
    );
    for (const figure of result.figures)
      lines.push(
        `| ${figure.name} | ${formatNumber(figure.raw)} ${figure.unit} | ` +
          `${formatNumber(figure.normalised)} ${figure.normalisedUnit} | ` +
          `${describeTarget(figure.target, figure)} | ${figure.met === null ? "" : figure.met ? "met" : "**not met**"} |`,
      );
  }
  return lines.join("\n");
}
