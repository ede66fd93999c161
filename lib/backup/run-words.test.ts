import { describe, expect, it } from "vitest";

import { durationInWords, triggerInWords } from "@/lib/backup/run-words";

describe("run words", () => {
  it.each([
    [null, null],
    [400, "under 1 s"],
    [1_400, "1 s"],
    [45_000, "45 s"],
    [60_000, "1 min"],
    [185_000, "3 min 5 s"],
    [3_720_000, "1 h 2 min"],
  ])("says %s ms as %s", (ms, words) => {
    expect(durationInWords(ms)).toBe(words);
  });

  it.each([
    ["manual", null, "Manual"],
    ["schedule", "nightly", "Schedule nightly"],
    ["safety", null, "Safety backup before a restore"],
  ] as const)("says a %s trigger", (trigger, name, words) => {
    expect(triggerInWords(trigger, name)).toBe(words);
  });
});
