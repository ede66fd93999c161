import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { z } from "zod";

/**
 * The last lines of `npm test`: which tests failed, which passed only on a retry, and the
 * slowest unit tests (the first to reach their timeout on a slower machine). The unit and
 * browser lanes run side by side, so each lane's own failure report scrolls away under the
 * other's output; a CI log that keeps only its tail still names what went wrong.
 */

const vitestAssertion = z.object({
  fullName: z.string(),
  status: z.string(),
  duration: z.number().nullish(),
  failureMessages: z.array(z.string()).default([]),
});
/** Vitest's JSON reporter (Jest's shape): one entry per test file. */
export const vitestReport = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().default(""),
      assertionResults: z.array(vitestAssertion).default([]),
    }),
  ),
});
export type VitestReport = z.infer<typeof vitestReport>;

const playwrightResult = z.object({
  error: z.object({ message: z.string().optional() }).optional(),
});
const playwrightSpec = z.object({
  title: z.string(),
  file: z.string(),
  line: z.number(),
  tests: z.array(
    z.object({
      status: z.string(),
      results: z.array(playwrightResult).default([]),
    }),
  ),
});
interface PlaywrightSuite {
  title: string;
  specs?: z.infer<typeof playwrightSpec>[] | undefined;
  suites?: PlaywrightSuite[] | undefined;
}
const playwrightSuite: z.ZodType<PlaywrightSuite> = z.lazy(() =>
  z.object({
    title: z.string(),
    specs: z.array(playwrightSpec).optional(),
    suites: z.array(playwrightSuite).optional(),
  }),
);
/** Playwright's JSON reporter: suites nest by file and describe block. */
export const playwrightReport = z.object({
  suites: z.array(playwrightSuite).default([]),
  errors: z.array(z.object({ message: z.string().optional() })).default([]),
});
export type PlaywrightReport = z.infer<typeof playwrightReport>;

/** A lane's report, or why there is none (the lane stopped before its end, or wrote junk). */
export type LaneReport<T> = { report: T } | { missing: string };

export interface SummaryInput {
  unit: LaneReport<VitestReport>;
  e2e: LaneReport<PlaywrightReport>;
  /** Whether both lanes exited 0: a failure outside any test (a build, a hook) shows only here. */
  lanesPassed: boolean;
  /** How many of the slowest unit tests to name. */
  slowest: number;
  /** Where paths are shown from. */
  root: string;
}

const HOOK_FAILED = "a hook or the file itself failed (the unit lane's log says how)";

function firstLine(text: string | undefined): string {
  const line = (text ?? "").split("\n").find((l) => l.trim() !== "") ?? "(no message)";
  // Reporters colour their messages; the summary is plain text.
  return stripVTControlCharacters(line).trim().slice(0, 300);
}

function* playwrightSpecs(
  suites: readonly PlaywrightSuite[],
  titles: readonly string[] = [],
): Generator<{ titles: string[]; spec: z.infer<typeof playwrightSpec> }> {
  for (const suite of suites) {
    // The file's own suite is titled by its path, which the spec line already shows.
    const own = suite.title.endsWith(".ts") ? titles : [...titles, suite.title];
    for (const spec of suite.specs ?? []) yield { titles: [...own, spec.title], spec };
    yield* playwrightSpecs(suite.suites ?? [], own);
  }
}

export interface Summary {
  lines: string[];
  /** False when a lane's report is missing: what it ran could not be checked. */
  complete: boolean;
}

export function summariseTests(input: SummaryInput): Summary {
  const failed: string[] = [];
  const flaky: string[] = [];
  const timed: { ms: number; line: string }[] = [];
  const missing: string[] = [];
  const notRun: string[] = [];

  if ("report" in input.unit) {
    for (const file of input.unit.report.testResults) {
      const shown = path.relative(input.root, file.name);
      // A file that fails to load, or whose beforeAll or afterAll fails, has no failed test: its
      // tests are skipped, and the message may be empty.
      if (file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed"))
        failed.push(`unit  ${shown}: ${file.message ? firstLine(file.message) : HOOK_FAILED}`);
      for (const test of file.assertionResults) {
        if (test.status === "failed")
          failed.push(`unit  ${shown} › ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
        // Vitest keeps the errors of the tries before the one that passed.
        else if (test.status === "passed" && test.failureMessages.length > 0)
          flaky.push(`unit  ${shown} › ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
        if (test.status === "passed" && test.duration != null)
          timed.push({
            ms: test.duration,
            line: `unit  ${shown} › ${test.fullName}: ${Math.round(test.duration).toLocaleString("en")} ms`,
          });
      }
    }
  } else missing.push(`unit: ${input.unit.missing}`);

  if ("report" in input.e2e) {
    for (const { titles, spec } of playwrightSpecs(input.e2e.report.suites)) {
      for (const test of spec.tests) {
        const name = `e2e   ${spec.file}:${spec.line} › ${titles.join(" › ")}`;
        const lastError = test.results.findLast((r) => r.error)?.error?.message;
        if (test.status === "unexpected") failed.push(`${name}: ${firstLine(lastError)}`);
        else if (test.status === "flaky") flaky.push(`${name}: ${firstLine(lastError)}`);
        // Skipped without a single try: a project it depends on failed (the bad-input run
        // waits for every other spec). A test that skips itself has a try.
        else if (test.status === "skipped" && test.results.length === 0) notRun.push(name);
      }
    }
    for (const error of input.e2e.report.errors)
      failed.push(`e2e   (outside a test): ${firstLine(error.message)}`);
  } else missing.push(`e2e: ${input.e2e.missing} (static checks and the build come first)`);

  const lines = ["", "── test summary ──"];
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(`${title} (${items.length}):`, ...items.map((item) => `  ${item}`));
  };
  if (!input.lanesPassed && failed.length === 0)
    failed.push("outside any test: the lanes' log above says where (static checks, the build)");
  section("failed", failed);
  section("passed only on a retry", flaky);
  section("no report", missing);
  section("did not run: a project they wait for failed", notRun);
  if (input.lanesPassed && failed.length + flaky.length + missing.length === 0)
    lines.push("every test passed at the first try");
  const slowest = timed
    .sort((a, b) => b.ms - a.ms)
    .slice(0, input.slowest)
    .map((test) => test.line);
  // A retried test's time is that of both tries.
  section("the slowest unit tests", slowest);
  return { lines, complete: missing.length === 0 };
}
