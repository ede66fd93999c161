import { describe, expect, it } from "vitest";

import {
  addDuration,
  lastsAtLeast,
  parseDuration,
  subtractDuration,
} from "@/lib/rotation/duration";

const at = (iso: string) => Date.parse(iso);

describe("parseDuration", () => {
  it.each([
    ["P90D", { days: 90 }],
    ["P3M", { months: 3 }],
    ["P1Y10D", { years: 1, days: 10 }],
    ["PT48H", { hours: 48 }],
    ["P2W", { weeks: 2 }],
  ])("reads %s", (text, expected) => {
    expect(parseDuration(text)).toMatchObject(expected);
  });

  it.each(["", "P", "PT", "90D", "P-1D", "P1.5D", "P1DT", "garbage"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe("addDuration", () => {
  it.each([
    ["2026-01-31T00:00:00Z", "P1M", "2026-02-28T00:00:00Z"],
    ["2028-01-31T00:00:00Z", "P1M", "2028-02-29T00:00:00Z"],
    ["2028-02-29T12:00:00Z", "P1Y", "2029-02-28T12:00:00Z"],
    ["2026-11-29T10:00:00Z", "P90D", "2027-02-27T10:00:00Z"],
    ["2026-12-31T23:00:00Z", "PT2H", "2027-01-01T01:00:00Z"],
  ])("%s + %s = %s", (from, text, expected) => {
    expect(new Date(addDuration(at(from), parseDuration(text)!)).toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });

  it("subtracts with the same calendar rules", () => {
    expect(
      new Date(subtractDuration(at("2026-03-31T00:00:00Z"), parseDuration("P1M")!)).toISOString(),
    ).toBe("2026-02-28T00:00:00.000Z");
  });
});

describe("lastsAtLeast", () => {
  it.each([
    ["P28D", true],
    ["P27D", false],
    ["P1M", true],
    ["PT672H", true],
    ["P4W", true],
  ])("%s lasts at least 28 days: %s", (text, expected) => {
    expect(lastsAtLeast(parseDuration(text)!, 28, at("2026-02-01T00:00:00Z"))).toBe(expected);
  });
});
