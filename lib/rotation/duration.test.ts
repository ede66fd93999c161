import { TZDate } from "@date-fns/tz";
import { add, sub } from "date-fns";
import fc from "fast-check";
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
    ["2096-01-31T06:30:00Z", "P1M", "2096-02-29T06:30:00Z"],
    ["2100-01-29T00:00:00Z", "P1M", "2100-02-28T00:00:00Z"],
    ["2000-01-30T00:00:00Z", "P1M", "2000-02-29T00:00:00Z"],
    ["1969-12-31T23:59:59Z", "P2M", "1970-02-28T23:59:59Z"],
    ["2026-05-31T00:00:00Z", "P1Y1M", "2027-06-30T00:00:00Z"],
    // The last day of a 400-year era, where the date arithmetic turns over.
    ["2000-02-29T08:00:00Z", "P1M", "2000-03-29T08:00:00Z"],
    ["2000-02-29T08:00:00Z", "P1Y", "2001-02-28T08:00:00Z"],
    ["1600-02-29T00:00:00Z", "P12M", "1601-02-28T00:00:00Z"],
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

describe("the arithmetic, against date-fns in UTC", () => {
  const durations = fc.record(
    {
      years: fc.integer({ min: 0, max: 5 }),
      months: fc.integer({ min: 0, max: 40 }),
      weeks: fc.integer({ min: 0, max: 60 }),
      days: fc.integer({ min: 0, max: 800 }),
      hours: fc.integer({ min: 0, max: 100 }),
      minutes: fc.integer({ min: 0, max: 200 }),
      seconds: fc.integer({ min: 0, max: 5_000 }),
    },
    { requiredKeys: [] },
  );
  // 1583 to 2400: before and after the epoch, across leap years, 1700, 1800, 1900 and 2100,
  // which are not, and the 400-year eras the arithmetic counts in.
  const instants = fc.integer({ min: Date.UTC(1583, 0, 1), max: Date.UTC(2400, 11, 31) });

  it.each([
    { name: "adds as date-fns's add does", ours: addDuration, theirs: add },
    { name: "subtracts as date-fns's sub does", ours: subtractDuration, theirs: sub },
  ])("$name", ({ ours, theirs }) => {
    fc.assert(
      fc.property(instants, durations, (epochMs, duration) => {
        expect(ours(epochMs, duration)).toBe(
          theirs(new TZDate(epochMs, "UTC"), duration).getTime(),
        );
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("parseDuration's answers", () => {
  it("are the same frozen object for the same text", () => {
    const first = parseDuration("P90D");
    expect(parseDuration("P90D")).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it("stay right past the remembered texts' bound", () => {
    for (let n = 1; n <= 600; n += 1) expect(parseDuration(`P${n}D`)).toMatchObject({ days: n });
    expect(parseDuration("P1D")).toMatchObject({ days: 1 });
  });
});
