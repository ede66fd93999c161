import { describe, expect, it } from "vitest";

import { chainStatus, findingsByHsm, lastExport } from "@/lib/assurance/summaries";
import type { Finding, Severity } from "@/lib/sod/types";

describe("chainStatus", () => {
  it.each<[string, Parameters<typeof chainStatus>[0], number, ReturnType<typeof chainStatus>]>([
    [
      "never verified: every event unverified",
      null,
      42,
      { state: "never-verified", eventsSince: 42 },
    ],
    ["never verified, empty log", null, 0, { state: "never-verified", eventsSince: 0 }],
    [
      "verified up to the head",
      { ok: true, head: { seq: 42 } },
      42,
      { state: "verified", eventsSince: 0 },
    ],
    [
      "verified, the log moved on",
      { ok: true, head: { seq: 40 } },
      42,
      { state: "verified", eventsSince: 2 },
    ],
    ["did not verify", { ok: false, head: { seq: 40 } }, 41, { state: "broken", eventsSince: 1 }],
    [
      "a head behind the verification is not negative",
      { ok: true, head: { seq: 50 } },
      42,
      { state: "verified", eventsSince: 0 },
    ],
  ])("%s", (_, verification, head, expected) => {
    expect(chainStatus(verification, head)).toEqual(expected);
  });
});

describe("lastExport", () => {
  const attempt = (seq: number, outcome: string) => ({ seq, outcome });
  it.each<[string, ReturnType<typeof attempt>[], number | null, number]>([
    ["no attempts", [], null, 0],
    ["the newest succeeded", [attempt(9, "succeeded"), attempt(5, "failed")], 9, 0],
    [
      "two failures after the last good pack",
      [
        attempt(9, "failed"),
        attempt(8, "failed"),
        attempt(5, "succeeded"),
        attempt(2, "succeeded"),
      ],
      5,
      2,
    ],
    ["every attempt failed", [attempt(9, "failed"), attempt(8, "failed")], null, 2],
  ])("%s", (_, attempts, seq, failedSince) => {
    const result = lastExport(attempts);
    expect(result.last?.seq ?? null).toBe(seq);
    expect(result.failedSince).toBe(failedSince);
  });
});

describe("findingsByHsm", () => {
  const finding = (hsm: string | null, severity: Severity) => ({ hsm, severity }) as Finding;
  const zero = { critical: 0, high: 0, medium: 0, low: 0 };
  it.each<[string, Finding[], ReturnType<typeof findingsByHsm>]>([
    [
      "no findings: a zero row per HSM, no portal row",
      [],
      [
        { hsm: "weu", counts: zero, total: 0 },
        { hsm: "neu", counts: zero, total: 0 },
      ],
    ],
    [
      "counted per HSM and severity; the portal's own after the HSMs; unknown HSMs left out",
      [
        finding("neu", "high"),
        finding("weu", "critical"),
        finding("neu", "high"),
        finding("neu", "low"),
        finding(null, "medium"),
        finding("gone", "critical"),
      ],
      [
        { hsm: "weu", counts: { ...zero, critical: 1 }, total: 1 },
        { hsm: "neu", counts: { ...zero, high: 2, low: 1 }, total: 3 },
        { hsm: null, counts: { ...zero, medium: 1 }, total: 1 },
      ],
    ],
  ])("%s", (_, findings, expected) => {
    expect(findingsByHsm(findings, ["weu", "neu"])).toEqual(expected);
  });
});
