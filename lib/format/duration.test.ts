import { describe, expect, it } from "vitest";

import { formatDuration } from "@/lib/format/duration";

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [-5, "0 s"],
    [59.9, "59 s"],
    [60, "1 min"],
    [3599, "59 min"],
    [3600, "1 h"],
    [3660, "1 h 1 min"],
    [86_399, "23 h 59 min"],
    [86_400, "1 d"],
    [90_000, "1 d 1 h"],
  ])("%d seconds is %s", (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
