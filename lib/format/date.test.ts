import { formatDistanceStrict } from "date-fns";
import { describe, expect, it } from "vitest";

import { dateView, formatRelative, formatUtc, formatUtcDate } from "@/lib/format/date";

describe("formatUtc", () => {
  it.each([
    ["2026-11-29T00:46:55.000Z", "29 Nov 2026, 00:46 UTC"],
    ["2028-02-29T23:59:59.999+02:00", "29 Feb 2028, 21:59 UTC"],
    [Date.UTC(2030, 11, 31, 23, 5), "31 Dec 2030, 23:05 UTC"],
  ])("shows %s as %s whatever the machine's zone", (value, expected) => {
    expect(formatUtc(value)).toBe(expected);
  });
});

describe("formatRelative", () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  it.each([
    [now + 25 * 60_000, "in 25 minutes"],
    [now - 3 * 3_600_000, "3 hours ago"],
    [now + 12 * 86_400_000, "in 12 days"],
    [now, "0 seconds ago"],
    [now + 60_000, "in 1 minute"],
    [now - 45 * 86_400_000, "2 months ago"],
    [now + 400 * 86_400_000, "in 1 year"],
  ])("describes %d relative to now", (value, expected) => {
    expect(formatRelative(value, now)).toBe(expected);
  });

  it("words every distance as date-fns's formatDistanceStrict does", () => {
    const offsets = [0, 1, 499, 500, 59_499, 59_500, 89_999, 90_000, 3_599_999, 5_400_000];
    for (let ms = 1_000; ms < 3 * 365 * 86_400_000; ms = Math.ceil(ms * 1.37)) offsets.push(ms);
    for (const offset of offsets)
      for (const value of [now + offset, now - offset])
        expect(formatRelative(value, now), `offset ${value - now} ms`).toBe(
          formatDistanceStrict(new Date(value), new Date(now), { addSuffix: true }),
        );
  });
});

describe("formatUtcDate", () => {
  it.each([
    ["2027-01-01T00:00:00.000Z", "1 Jan 2027"],
    ["2027-01-01T01:30:00.000+02:00", "31 Dec 2026"],
    [Date.UTC(2028, 1, 29, 12), "29 Feb 2028"],
  ])("shows %s as %s", (value, expected) => {
    expect(formatUtcDate(value)).toBe(expected);
  });
});

describe("dateView", () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  it.each([
    [false, "1 Jan 2027"],
    [true, "1 Jan 2027, 06:30 UTC"],
  ])("gives the instant, the text (with time: %s) and the tooltip", (withTime, text) => {
    expect(dateView(Date.UTC(2027, 0, 1, 6, 30), now, withTime)).toEqual({
      iso: "2027-01-01T06:30:00.000Z",
      text,
      title: "1 Jan 2027, 06:30 UTC (in 1 month)",
    });
  });
});
