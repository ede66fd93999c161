import { describe, expect, it } from "vitest";

import {
  markdownTable,
  meanCalibration,
  normalise,
  targetMet,
  type FigureInput,
  type Target,
} from "./report";

const machine = { rsaSignsPerSecond: 2_000, httpRequestsPerSecond: 10_000 };
const twiceAsFast = { rsaSignsPerSecond: 4_000, httpRequestsPerSecond: 20_000 };

describe("normalise", () => {
  it.each<[string, FigureInput, number, string]>([
    [
      "a time in ms as RSA-sign times",
      { name: "p95", raw: 150, unit: "ms", kind: "time" },
      300,
      "RSA-sign times",
    ],
    [
      "a time in s as RSA-sign times",
      { name: "sync", raw: 2, unit: "s", kind: "time" },
      4_000,
      "RSA-sign times",
    ],
    [
      "a throughput as a share of the bare server",
      { name: "req/s", raw: 2_500, unit: "req/s", kind: "http-throughput" },
      0.25,
      "× bare node:http",
    ],
    [
      "a CPU-bound rate as a share of raw signing",
      { name: "signs", raw: 500, unit: "signs/s", kind: "cpu-rate" },
      0.25,
      "× raw RSA",
    ],
    ["a ratio unchanged", { name: "x", raw: 12.5, unit: "×", kind: "ratio" }, 12.5, "×"],
    ["a size unchanged", { name: "MB", raw: 300, unit: "MB", kind: "size" }, 300, "MB"],
  ])("gives %s", (_case, input, normalised, unit) => {
    expect(normalise(input, machine)).toEqual({ normalised, normalisedUnit: unit });
  });

  it("gives the same figure for the same work on a machine twice as fast", () => {
    const slow = normalise({ name: "p95", raw: 200, unit: "ms", kind: "time" }, machine);
    const fast = normalise({ name: "p95", raw: 100, unit: "ms", kind: "time" }, twiceAsFast);
    expect(fast.normalised).toBe(slow.normalised);
    const slowRate = normalise(
      { name: "r", raw: 900, unit: "req/s", kind: "http-throughput" },
      machine,
    );
    const fastRate = normalise(
      { name: "r", raw: 1_800, unit: "req/s", kind: "http-throughput" },
      twiceAsFast,
    );
    expect(fastRate.normalised).toBe(slowRate.normalised);
  });
});

describe("targetMet", () => {
  it.each<[string, Target | undefined, number, number, boolean | null]>([
    ["no target", undefined, 1, 1, null],
    ["at most, under", { bound: "at-most", value: 200, on: "raw" }, 150, 0, true],
    ["at most, equal", { bound: "at-most", value: 200, on: "raw" }, 200, 0, true],
    ["at most, over", { bound: "at-most", value: 200, on: "raw" }, 201, 0, false],
    ["at least, over", { bound: "at-least", value: 0.7, on: "raw" }, 0.8, 0, true],
    ["at least, under", { bound: "at-least", value: 0.7, on: "raw" }, 0.69, 0, false],
    [
      "on the normalised value",
      { bound: "at-least", value: 0.2, on: "normalised" },
      900,
      0.19,
      false,
    ],
  ])("%s", (_case, target, raw, normalised, met) => {
    expect(targetMet(target, raw, normalised)).toBe(met);
  });
});

describe("meanCalibration", () => {
  it("averages the start and the end", () => {
    expect(meanCalibration(machine, twiceAsFast)).toEqual({
      rsaSignsPerSecond: 3_000,
      httpRequestsPerSecond: 15_000,
    });
  });
});

describe("markdownTable", () => {
  it("gives each benchmark a row with its calibration, then its figures", () => {
    const table = markdownTable([
      {
        bench: "bench:portal",
        ranAt: "2026-12-04T12:00:00.000Z",
        calibration: { start: machine, end: machine },
        figures: [
          {
            name: "/api/health ÷ bare handler",
            raw: 0.566,
            unit: "×",
            kind: "ratio",
            target: { bound: "at-least", value: 0.7, on: "raw" },
            normalised: 0.566,
            normalisedUnit: "×",
            met: false,
          },
          {
            name: "/keys p95",
            raw: 140,
            unit: "ms",
            kind: "time",
            normalised: 280,
            normalisedUnit: "RSA-sign times",
            met: null,
          },
        ],
      },
    ]).split("\n");
    expect(table.slice(2)).toEqual([
      "| **bench:portal**, 2026-12-04: RSA-2048 2000 signs/s on one thread, bare node:http 10000 req/s at 10 connections | | | | |",
      "| /api/health ÷ bare handler | 0.566 × | 0.566 × | ≥ 0.7 × | **not met** |",
      "| /keys p95 | 140 ms | 280 RSA-sign times |  |  |",
    ]);
  });
});
