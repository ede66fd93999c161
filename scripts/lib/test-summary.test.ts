import path from "node:path";
import { describe, expect, it } from "vitest";

import { UNIT_REPORT, UNIT_TEST_TIMEOUT_MS } from "./test-lanes";
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

describe("the summary at the end of npm test", () => {
  it.each<{
    case: string;
    unit: VitestReport | undefined;
    e2e: PlaywrightReport | undefined;
    expected: string[];
  }>([
    {
      case: "everything passed",
      unit: passingUnit,
      e2e: passingE2e,
      expected: ["every test passed at the first try"],
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
      ],
    },
    {
      case: "a unit test near its timeout is named with its time",
      unit: unit({ name: "syncs 5,000 keys", status: "passed", duration: 12_345.6 }),
      e2e: passingE2e,
      expected: [
        "used over half of the 20000 ms timeout (1):",
        "  unit  lib/a.test.ts › syncs 5,000 keys: 12346 ms of 20000",
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
      ],
    },
    {
      case: "a browser test that passed on its retry",
      unit: passingUnit,
      e2e: e2e({ title: "withdraws", status: "flaky", errors: ["socket hang up", undefined] }),
      expected: [
        "passed only on a retry (1):",
        "  e2e   requests.spec.ts:12 › the key team › withdraws: socket hang up",
      ],
    },
    {
      case: "a lane that wrote no report is named, not taken for a pass",
      unit: passingUnit,
      e2e: undefined,
      expected: [
        "no report (1):",
        "  e2e (no report: the lane stopped before its browser tests, in its static checks or build)",
      ],
    },
  ])("$case", ({ unit, e2e, expected }) => {
    const lines = summariseTests({ unit, e2e, unitTimeoutMs: 20_000, root });
    expect(lines.slice(2)).toEqual(expected);
  });

  it("names a test file that failed to load", () => {
    const report = vitestReport.parse({
      testResults: [
        {
          name: `${root}/lib/b.test.ts`,
          status: "failed",
          message: "Cannot find module './gone'",
          assertionResults: [],
        },
      ],
    });
    const lines = summariseTests({ unit: report, e2e: passingE2e, unitTimeoutMs: 20_000, root });
    expect(lines).toContain("  unit  lib/b.test.ts: Cannot find module './gone'");
  });
});

describe("the lanes' settings", () => {
  it("are the ones vitest.config.ts gives Vitest", async () => {
    const { default: config } = await import("../../vitest.config");
    const projects = config.test?.projects ?? [];
    const portal = projects.find(
      (project): project is Exclude<typeof project, string> =>
        typeof project === "object" && "test" in project && project.test?.name === "portal",
    );
    expect(portal && "test" in portal && portal.test?.testTimeout).toBe(UNIT_TEST_TIMEOUT_MS);
    const repository = path.resolve(import.meta.dirname, "..", "..");
    expect(config.test?.reporters).toContainEqual([
      "json",
      { outputFile: path.relative(repository, UNIT_REPORT) },
    ]);
  });
});
