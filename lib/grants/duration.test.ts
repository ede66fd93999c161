import { describe, expect, it } from "vitest";

import { grantDurationMs, remainingInWords } from "@/lib/grants/duration";

const MIN = 60_000;
const DAY = 86_400_000;

describe("how long a time-limited grant lasts", () => {
  it.each<[string, number | RegExp]>([
    ["PT15M", 15 * MIN],
    ["PT900S", 15 * MIN],
    ["PT1H", 60 * MIN],
    ["PT8H30M", 510 * MIN],
    ["P1D", DAY],
    ["P1W", 7 * DAY],
    ["P4WT1H", 28 * DAY + 60 * MIN],
    ["P30D", 30 * DAY],
    ["PT720H", 30 * DAY],
    ["PT14M", /15 minutes \(PT15M\) to 30 days/],
    ["PT899S", /15 minutes/],
    ["P31D", /to 30 days \(P30D\)/],
    ["P30DT1S", /to 30 days/],
    ["P5W", /to 30 days/],
    ["P1M", /give months or years as days/],
    ["P1Y", /give months or years as days/],
    ["P1MT1H", /give months or years as days/],
    ["P1Y10D", /give months or years as days/],
    ["P0Y2D", 2 * DAY],
    ["P2W", 14 * DAY],
    ["P1DT", /ISO 8601 duration/],
    ["P1,5D", /ISO 8601 duration/],
    ["PT15M ", /ISO 8601 duration/],
    ["pt15m", /ISO 8601 duration/],
    ["PT", /ISO 8601 duration such as PT1H/],
    ["P", /ISO 8601 duration/],
    ["1h", /ISO 8601 duration/],
    ["P1.5D", /ISO 8601 duration/],
    ["-PT1H", /ISO 8601 duration/],
  ])("%s", (text, expected) => {
    const parsed = grantDurationMs(text);
    if (typeof expected === "number") expect(parsed).toEqual({ ms: expected });
    else expect("error" in parsed && parsed.error).toMatch(expected);
  });

  it.each<[number, string]>([
    [-1, "ending now"],
    [0, "ending now"],
    [40_000, "40 s"],
    [15 * MIN, "15 min"],
    [134 * MIN, "2 h 14 min"],
    [120 * MIN, "2 h"],
    [DAY + 4 * 60 * MIN + 5 * MIN, "1 day 4 h"],
    [3 * DAY, "3 days"],
  ])("%i ms left reads %j", (ms, words) => {
    expect(remainingInWords(ms)).toBe(words);
  });
});
