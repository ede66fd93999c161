import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { UNIT_REPORT } from "./test-lanes";
import {
  playwrightReport,
  summariseTests,
  vitestReport,
  type PlaywrightReport,
  type VitestReport,
} from "./test-summary";

const root = "/repo";

function unit(
  ...tests: { file?: string; name: string; status: string; duration?: number; error?: string }[]
): VitestReport {
  return vitestReport.parse({
    testResults: tests.map((t) => ({
      name: `${root}/${t.file ?? "lib/a.test.ts"}`,
      status: t.status === "failed" ? "failed" : "passed",
      assertionResults: [
        {
          fullName: t.name,
          status: t.status,
          duration: t.duration ?? 10,
          failureMessages: t.error ? [t.error] : [],
        },
      ],
    })),
  });
}

function e2e(
  ...tests: { describe?: string; title: string; status: string; errors?: (string | undefined)[] }[]
): PlaywrightReport {
  return playwrightReport.parse({
    suites: [
      {
        title: "requests.spec.ts",
        file: "requests.spec.ts",
        specs: [],
        suites: tests.map((t) => ({
          title: t.describe ?? "the key team",
          specs: [
            {
              title: t.title,
              file: "requests.spec.ts",
              line: 12,
              tests: [
                {
                  projectName: "chromium",
                  status: t.status,
                  results: (t.errors ?? [undefined]).map((message) => ({
                    status: message ? "failed" : "passed",
                    ...(message ? { error: { message } } : {}),
                  })),
                },
              ],
            },
          ],
        })),
      },
    ],
    errors: [],
  });
}

const passingE2e = e2e({ title: "files a key", status: "expected" });
const passingUnit = unit({ name: "reads a key", status: "passed" });
const slowestOfPassingUnit = [
  "the slowest unit tests (1):",
  "  unit  lib/a.test.ts › reads a key: 10 ms",
];

describe("the summary at the end of npm test", () => {
  it.each<{
    case: string;
    /** A lane's report, or why it has none. */
    unit: VitestReport | string;
    e2e: PlaywrightReport | string;
    lanesPassed?: boolean;
    expected: string[];
  }>([
    {
      case: "everything passed",
      unit: passingUnit,
      e2e: passingE2e,
      expected: [
        "every test passed at the first try",
        "the slowest unit tests (1):",
        "  unit  lib/a.test.ts › reads a key: 10 ms",
      ],
    },
    {
      case: "a unit test failed: its file, name and the first line of its error, uncoloured",
      unit: unit(
        { name: "reads a key", status: "passed" },
        {
          file: "lib/db/busy.test.ts",
          name: "waits, then writes",
          status: "failed",
          error:
            "\u001b[31mAssertionError: expected 1 to be greater than 5\u001b[39m\n    at x.ts:1",
        },
      ),
      e2e: passingE2e,
      expected: [
        "failed (1):",
        "  unit  lib/db/busy.test.ts › waits, then writes: AssertionError: expected 1 to be greater than 5",
        "the slowest unit tests (1):",
        "  unit  lib/a.test.ts › reads a key: 10 ms",
      ],
    },
    {
      case: "a unit test that passed on its retry, with the error of its first try",
      unit: unit({
        name: "waits, then writes",
        status: "passed",
        error: "AssertionError: expected 1 to be greater than 5",
      }),
      e2e: passingE2e,
      expected: [
        "passed only on a retry (1):",
        "  unit  lib/a.test.ts › waits, then writes: AssertionError: expected 1 to be greater than 5",
        "the slowest unit tests (1):",
        "  unit  lib/a.test.ts › waits, then writes: 10 ms",
      ],
    },
    {
      case: "the slowest unit tests, slowest first, as many as asked",
      unit: unit(
        { name: "syncs", status: "passed", duration: 12_345.6 },
        { name: "reads", status: "passed", duration: 40 },
        { name: "executes", status: "passed", duration: 30_001 },
        { name: "skipped", status: "skipped", duration: 0 },
      ),
      e2e: passingE2e,
      expected: [
        "every test passed at the first try",
        "the slowest unit tests (2):",
        "  unit  lib/a.test.ts › executes: 30,001 ms",
        "  unit  lib/a.test.ts › syncs: 12,346 ms",
      ],
    },
    {
      case: "a browser test that failed twice, named by its describe block, with its last error",
      unit: passingUnit,
      e2e: e2e({
        title: "approves a request",
        status: "unexpected",
        errors: ["Timeout 30000ms exceeded.", "expect(locator).toBeVisible() failed"],
      }),
      expected: [
        "failed (1):",
        "  e2e   requests.spec.ts:12 › the key team › approves a request: expect(locator).toBeVisible() failed",
        ...slowestOfPassingUnit,
      ],
    },
    {
      case: "a browser test that passed on its retry",
      unit: passingUnit,
      e2e: e2e({ title: "withdraws", status: "flaky", errors: ["socket hang up", undefined] }),
      expected: [
        "passed only on a retry (1):",
        "  e2e   requests.spec.ts:12 › the key team › withdraws: socket hang up",
        ...slowestOfPassingUnit,
      ],
    },
    {
      case: "browser tests that never ran (a project they wait for failed) are named",
      unit: passingUnit,
      e2e: e2e(
        { title: "approves a request", status: "unexpected", errors: ["failed", "failed"] },
        { describe: "bad input", title: "changes nothing", status: "skipped", errors: [] },
        { describe: "azure mode", title: "signs in", status: "skipped" },
      ),
      lanesPassed: false,
      expected: [
        "failed (1):",
        "  e2e   requests.spec.ts:12 › the key team › approves a request: failed",
        "did not run: a project they wait for failed (1):",
        "  e2e   requests.spec.ts:12 › bad input › changes nothing",
        ...slowestOfPassingUnit,
      ],
    },
    {
      case: "a lane that wrote no report is named, not taken for a pass",
      unit: passingUnit,
      e2e: "no report: the lane did not get that far",
      expected: [
        "no report (1):",
        "  e2e: no report: the lane did not get that far (static checks and the build come first)",
        ...slowestOfPassingUnit,
      ],
    },
    {
      case: "a failure outside any test (a build, a static check) is said, never 'every test passed'",
      unit: passingUnit,
      e2e: "no report: the lane did not get that far",
      lanesPassed: false,
      expected: [
        "failed (1):",
        "  outside any test: the lanes' log above says where (static checks, the build)",
        "no report (1):",
        "  e2e: no report: the lane did not get that far (static checks and the build come first)",
        ...slowestOfPassingUnit,
      ],
    },
  ])("$case", ({ unit, e2e, lanesPassed, expected }) => {
    const lane = <T>(report: T | string) =>
      typeof report === "string" ? { missing: report } : { report };
    const summary = summariseTests({
      unit: lane(unit),
      e2e: lane(e2e),
      lanesPassed: lanesPassed ?? true,
      slowest: 2,
      root,
    });
    expect(summary.lines.slice(2)).toEqual(expected);
    expect(summary.complete).toBe(typeof unit !== "string" && typeof e2e !== "string");
  });

  it.each([
    { case: "a file that failed to load", message: "Cannot find module './gone'", tests: [] },
    {
      case: "a file whose beforeAll failed (its tests skipped, no message)",
      message: "",
      tests: [{ fullName: "reads", status: "skipped", failureMessages: [] }],
    },
  ])("names $case", ({ message, tests }) => {
    const report = vitestReport.parse({
      testResults: [
        { name: `${root}/lib/b.test.ts`, status: "failed", message, assertionResults: tests },
      ],
    });
    const { lines } = summariseTests({
      unit: { report },
      e2e: { report: passingE2e },
      lanesPassed: false,
      slowest: 2,
      root,
    });
    expect(lines.slice(2, 4)).toEqual([
      "failed (1):",
      `  unit  lib/b.test.ts: ${message || "a hook or the file itself failed (the unit lane's log says how)"}`,
    ]);
  });
});

describe("the lanes' settings", () => {
  it("name concurrency suites that exist (a renamed one would get a second try unseen)", async () => {
    const { CONCURRENCY_SUITES } = await import("../../vitest.config");
    const repository = path.resolve(import.meta.dirname, "..", "..");
    const missing = CONCURRENCY_SUITES.filter(
      (file) => !fs.existsSync(path.join(repository, file)),
    );
    expect(missing).toEqual([]);
  });

  it("give Vitest the report path the summary reads", async () => {
    const { default: config } = await import("../../vitest.config");
    const repository = path.resolve(import.meta.dirname, "..", "..");
    expect(config.test?.reporters).toContainEqual([
      "json",
      { outputFile: path.relative(repository, UNIT_REPORT) },
    ]);
  });
});
