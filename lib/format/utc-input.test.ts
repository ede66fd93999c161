import { describe, expect, it } from "vitest";

import { fromUtcInput, toUtcInput } from "@/lib/format/utc-input";

describe("toUtcInput and fromUtcInput", () => {
  it.each([
    [Date.parse("2027-01-31T09:30:45Z"), "2027-01-31T09:30"],
    [Date.parse("2026-12-05T00:00:00Z"), "2026-12-05T00:00"],
    [null, ""],
  ])("%s shows as %j", (value, expected) => expect(toUtcInput(value)).toBe(expected));

  it.each([
    ["2027-01-31T09:30", "2027-01-31T09:30:00.000Z"],
    ["2027-01-31T09:30:15", "2027-01-31T09:30:15.000Z"],
    [" 2028-02-29T23:59 ", "2028-02-29T23:59:00.000Z"],
    ["", null],
    ["   ", null],
    ["2027-02-31T10:00", undefined],
    ["2027-13-01T10:00", undefined],
    ["2027-01-01T24:00", undefined],
    ["31/01/2027", undefined],
  ])("%j reads as %j", (text, expected) => expect(fromUtcInput(text)).toBe(expected));
});
