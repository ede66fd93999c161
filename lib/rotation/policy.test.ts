import { describe, expect, it } from "vitest";

import type { RotationPolicyInfo } from "@/lib/hsm/types";
import {
  describePolicy,
  durationInWords,
  nextRotationAt,
  policyState,
} from "@/lib/rotation/policy";

const policy = (
  trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string } | null,
  expiresIn: string | null = null,
): RotationPolicyInfo => ({
  lifetimeActions: trigger
    ? [
        {
          action: "Rotate",
          timeAfterCreate: trigger.timeAfterCreate ?? null,
          timeBeforeExpiry: trigger.timeBeforeExpiry ?? null,
        },
      ]
    : [],
  expiresIn,
  createdOn: null,
  updatedOn: null,
});
const CREATED = Date.parse("2026-01-31T10:00:00Z");
const EXPIRES = Date.parse("2026-12-31T10:00:00Z");

describe("policyState", () => {
  it.each([
    [null, "none"],
    [policy(null), "none"],
    [policy(null, "P1Y"), "expiry-only"],
    [policy({ timeAfterCreate: "P90D" }), "rotates"],
    [policy({ timeBeforeExpiry: "P30D" }, "P1Y"), "rotates"],
  ])("%j → %s", (input, expected) => {
    expect(policyState(input)).toBe(expected);
  });
});

describe("nextRotationAt", () => {
  it.each([
    [
      "after creation, in days",
      policy({ timeAfterCreate: "P90D" }),
      EXPIRES,
      "2026-05-01T10:00:00.000Z",
    ],
    [
      "after creation, in months (calendar)",
      policy({ timeAfterCreate: "P1M" }),
      null,
      "2026-02-28T10:00:00.000Z",
    ],
    [
      "before expiry",
      policy({ timeBeforeExpiry: "P30D" }, "P1Y"),
      EXPIRES,
      "2026-12-01T10:00:00.000Z",
    ],
    [
      "before expiry, but the version never expires",
      policy({ timeBeforeExpiry: "P30D" }),
      null,
      null,
    ],
    ["no rotate action", policy(null, "P1Y"), EXPIRES, null],
    ["no policy", null, EXPIRES, null],
  ])("%s", (_name, input, expiresOn, expected) => {
    const next = nextRotationAt(input, { createdOn: CREATED, expiresOn });
    expect(next === null ? null : new Date(next).toISOString()).toBe(expected);
  });
});

describe("describePolicy", () => {
  it.each([
    [null, "No rotation policy: the key never rotates on its own."],
    [
      policy({ timeAfterCreate: "P90D" }),
      "Rotates automatically 90 days after each version is created.",
    ],
    [
      policy({ timeBeforeExpiry: "P1M" }, "P1Y6M"),
      "Rotates automatically 1 month before the current version expires. New versions expire 1 year 6 months after they are created.",
    ],
    [
      policy(null, "P2Y"),
      "Does not rotate automatically. New versions expire 2 years after they are created.",
    ],
  ])("%j", (input, expected) => {
    expect(describePolicy(input)).toBe(expected);
  });

  it.each([
    ["P1D", "1 day"],
    ["P2W", "2 weeks"],
    ["PT36H", "36 hours"],
    ["P1Y2M3DT4H", "1 year 2 months 3 days 4 hours"],
    ["nonsense", "nonsense"],
  ])("words for %s", (text, expected) => {
    expect(durationInWords(text)).toBe(expected);
  });
});
