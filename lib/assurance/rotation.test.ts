import { describe, expect, it } from "vitest";

import {
  judgeAt,
  monthEnds,
  monthlyRotationCompliance,
  rotationByHsm,
  type ComplianceKey,
} from "@/lib/assurance/rotation";
import type { RotationTerms } from "@/lib/rotation/policy";

const DAY = 86_400_000;
const at = (date: string) => Date.parse(`${date}T00:00:00Z`);
const every = (duration: string): RotationTerms => ({
  lifetimeActions: [{ action: "Rotate", timeAfterCreate: duration, timeBeforeExpiry: null }],
  expiresIn: null,
});
const expiryOnly: RotationTerms = { lifetimeActions: [], expiresIn: "P1Y" };

const key = (changes: Partial<ComplianceKey> = {}): ComplianceKey => ({
  hsm: "weu",
  policy: every("P30D"),
  createdAt: at("2026-03-10"),
  expiresAt: null,
  versionCount: 3,
  deletedAt: null,
  ...changes,
});

describe("judgeAt", () => {
  it.each<[string, ComplianceKey, number, ReturnType<typeof judgeAt>]>([
    ["due in the future", key(), at("2026-03-31"), "on-time"],
    ["due yesterday: within the day of grace", key(), at("2026-04-09") + DAY, "on-time"],
    ["due more than a day ago", key(), at("2026-04-11") + 1, "late"],
    ["never rotated and overdue", key({ versionCount: 1 }), at("2026-05-01"), "late"],
    ["no policy", key({ policy: null }), at("2026-03-31"), "not-counted"],
    [
      "a policy that only sets expiry",
      key({ policy: expiryOnly }),
      at("2026-03-31"),
      "not-counted",
    ],
    [
      "rotation before an expiry the version lacks",
      key({
        policy: {
          lifetimeActions: [{ action: "Rotate", timeAfterCreate: null, timeBeforeExpiry: "P30D" }],
          expiresIn: null,
        },
      }),
      at("2026-03-31"),
      "not-counted",
    ],
    [
      "created later, one version: did not exist",
      key({ versionCount: 1 }),
      at("2026-02-28"),
      "not-counted",
    ],
    ["created later, older versions unknown", key(), at("2026-02-28"), "unknown"],
    [
      "created later, versions never read",
      key({ versionCount: null }),
      at("2026-02-28"),
      "unknown",
    ],
    ["deleted before", key({ deletedAt: at("2026-03-20") }), at("2026-03-31"), "not-counted"],
    ["deleted after", key({ deletedAt: at("2026-04-20") }), at("2026-03-31"), "on-time"],
    ["created at that very instant", key(), at("2026-03-10"), "on-time"],
  ])("%s", (_, subject, when, expected) => {
    expect(judgeAt(subject, when)).toBe(expected);
  });
});

describe("monthEnds", () => {
  it.each([
    [
      "mid-month: the current month ends now",
      at("2026-06-15") + 5_000,
      3,
      [
        ["2026-04", at("2026-05-01") - 1],
        ["2026-05", at("2026-06-01") - 1],
        ["2026-06", at("2026-06-15") + 5_000],
      ],
    ],
    [
      "across a year, February's end in a leap year",
      at("2028-03-02"),
      4,
      [
        ["2027-12", at("2028-01-01") - 1],
        ["2028-01", at("2028-02-01") - 1],
        ["2028-02", at("2028-03-01") - 1],
        ["2028-03", at("2028-03-02")],
      ],
    ],
  ])("%s", (_, now, months, expected) => {
    expect(monthEnds(now, months).map((m) => [m.month, m.at])).toEqual(expected);
  });

  it("gives twelve months by default", () => {
    expect(monthEnds(at("2026-06-15"))).toHaveLength(12);
  });
});

describe("monthlyRotationCompliance", () => {
  const now = at("2026-06-15");
  const rows = (keys: ComplianceKey[]) =>
    monthlyRotationCompliance(keys, now, 4).map((m) => [
      m.month,
      m.onTime,
      m.late,
      m.unknown,
      m.share,
      m.toDate,
    ]);

  it.each<[string, ComplianceKey[], unknown[][]]>([
    [
      "no keys: nothing judged in any month",
      [],
      [
        ["2026-03", 0, 0, 0, null, false],
        ["2026-04", 0, 0, 0, null, false],
        ["2026-05", 0, 0, 0, null, false],
        ["2026-06", 0, 0, 0, null, true],
      ],
    ],
    [
      "a key created in March with a 30-day policy, never rotated: late from April's end",
      [key({ versionCount: 1 })],
      [
        ["2026-03", 1, 0, 0, 1, false],
        ["2026-04", 0, 1, 0, 0, false],
        ["2026-05", 0, 1, 0, 0, false],
        ["2026-06", 0, 1, 0, 0, true],
      ],
    ],
    [
      "a key rotated on 1 June: unknown before, on time since",
      [key({ createdAt: at("2026-06-01") })],
      [
        ["2026-03", 0, 0, 1, null, false],
        ["2026-04", 0, 0, 1, null, false],
        ["2026-05", 0, 0, 1, null, false],
        ["2026-06", 1, 0, 0, 1, true],
      ],
    ],
    [
      "one on time, one late, one without a policy: half on time",
      [
        key({ createdAt: at("2026-02-01"), policy: every("P1Y") }),
        key({ createdAt: at("2026-02-01"), policy: every("P7D") }),
        key({ createdAt: at("2026-02-01"), policy: null }),
      ],
      [
        ["2026-03", 1, 1, 0, 0.5, false],
        ["2026-04", 1, 1, 0, 0.5, false],
        ["2026-05", 1, 1, 0, 0.5, false],
        ["2026-06", 1, 1, 0, 0.5, true],
      ],
    ],
    [
      "a key deleted in May counts until April",
      [key({ createdAt: at("2026-02-01"), policy: every("P1Y"), deletedAt: at("2026-05-05") })],
      [
        ["2026-03", 1, 0, 0, 1, false],
        ["2026-04", 1, 0, 0, 1, false],
        ["2026-05", 0, 0, 0, null, false],
        ["2026-06", 0, 0, 0, null, true],
      ],
    ],
  ])("%s", (_, keys, expected) => {
    expect(rows(keys)).toEqual(expected);
  });
});

describe("rotationByHsm", () => {
  const now = at("2026-06-15");
  it.each<[string, ComplianceKey[], string[], unknown[]]>([
    [
      "every HSM listed, in order, with zero counts when it has no keys",
      [],
      ["weu", "neu"],
      [
        { hsm: "weu", total: 0, "on-time": 0, late: 0, "never-rotated": 0, "no-policy": 0 },
        { hsm: "neu", total: 0, "on-time": 0, late: 0, "never-rotated": 0, "no-policy": 0 },
      ],
    ],
    [
      "each key in its HSM's row; deleted keys and unknown HSMs left out",
      [
        key({ createdAt: at("2026-06-01") }),
        key({ createdAt: at("2026-01-01"), versionCount: 1 }),
        key({ createdAt: at("2026-01-01"), versionCount: 4 }),
        key({ hsm: "neu", policy: null }),
        key({ hsm: "neu", deletedAt: at("2026-06-01") }),
        key({ hsm: "elsewhere" }),
      ],
      ["weu", "neu"],
      [
        { hsm: "weu", total: 3, "on-time": 1, late: 1, "never-rotated": 1, "no-policy": 0 },
        { hsm: "neu", total: 1, "on-time": 0, late: 0, "never-rotated": 0, "no-policy": 1 },
      ],
    ],
  ])("%s", (_, keys, hsms, expected) => {
    expect(rotationByHsm(keys, hsms, now)).toEqual(expected);
  });
});
