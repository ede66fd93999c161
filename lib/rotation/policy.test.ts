import { describe, expect, it } from "vitest";

import {
  describePolicy,
  durationInWords,
  nextRotationAt,
  policyState,
} from "@/lib/rotation/policy";
import { rotationPolicy } from "@/lib/rotation/testing";

const CREATED = Date.parse("2026-01-31T10:00:00Z");
const EXPIRES = Date.parse("2026-12-31T10:00:00Z");

describe("policyState", () => {
  it.each([
    [null, "none"],
    [rotationPolicy(null), "none"],
    [rotationPolicy(null, "P1Y"), "expiry-only"],
    [rotationPolicy({ timeAfterCreate: "P90D" }), "rotates"],
    [rotationPolicy({ timeBeforeExpiry: "P30D" }, "P1Y"), "rotates"],
  ])("%j → %s", (input, expected) => {
    expect(policyState(input)).toBe(expected);
  });
});

describe("nextRotationAt", () => {
  it.each([
    [
      "after creation, in days",
      rotationPolicy({ timeAfterCreate: "P90D" }),
      EXPIRES,
      "2026-05-01T10:00:00.000Z",
    ],
    [
      "after creation, in months (calendar)",
      rotationPolicy({ timeAfterCreate: "P1M" }),
      null,
      "2026-02-28T10:00:00.000Z",
    ],
    [
      "before expiry",
      rotationPolicy({ timeBeforeExpiry: "P30D" }, "P1Y"),
      EXPIRES,
      "2026-12-01T10:00:00.000Z",
    ],
    [
      "before expiry, but the version never expires",
      rotationPolicy({ timeBeforeExpiry: "P30D" }),
      null,
      null,
    ],
    ["no rotate action", rotationPolicy(null, "P1Y"), EXPIRES, null],
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
      rotationPolicy({ timeAfterCreate: "P90D" }),
      "Rotates automatically 90 days after each version is created.",
    ],
    [
      rotationPolicy({ timeBeforeExpiry: "P1M" }, "P1Y6M"),
      "Rotates automatically 1 month before the current version expires. New versions expire 1 year 6 months after they are created.",
    ],
    [
      rotationPolicy(null, "P2Y"),
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
