import { describe, expect, it } from "vitest";

import { exitCodeOf, formatReport, summaryOf, type DoctorCheck } from "./report";

const check = (status: DoctorCheck["status"], fix?: string): DoctorCheck => ({
  id: status,
  title: `A ${status} check`,
  status,
  detail: `It ${status}ed.`,
  ...(fix ? { fix } : {}),
});

describe("the doctor's report", () => {
  it.each([
    { statuses: ["pass"], code: 0, summary: "1 passed." },
    { statuses: ["pass", "warn", "skip"], code: 0, summary: "1 passed, 1 warning, 1 skipped." },
    {
      statuses: ["pass", "fail", "warn", "warn"],
      code: 1,
      summary: "1 passed, 2 warnings, 1 failed.",
    },
  ] as const)("$statuses → exit $code", ({ statuses, code, summary }) => {
    const checks = statuses.map((s) => check(s));
    expect(exitCodeOf({ checks })).toBe(code);
    expect(summaryOf(checks)).toBe(summary);
  });

  it("prints each fix of a warning or failure under it, one line each", () => {
    const text = formatReport({
      checkedAt: 0,
      mode: "azure",
      checks: [check("pass", "never shown"), check("fail", "first\nsecond")],
    });
    expect(text).toContain("PASS  A pass check  It passed.");
    expect(text).toContain("FAIL  A fail check  It failed.\n      fix: first\n      fix: second\n");
    expect(text).not.toContain("never shown");
    expect(text.trimEnd().split("\n").at(-1)).toBe("1 passed, 1 failed.");
  });
});
