import { describe, expect, it } from "vitest";

import { count, plural } from "@/lib/format/count";

describe("plural", () => {
  it.each([
    ["Rotation", "Rotations"],
    ["Expiry", "Expiries"],
    ["Reminder", "Reminders"],
    ["day", "days"],
    ["key", "keys"],
    ["policy", "policies"],
    ["box", "boxes"],
    ["match", "matches"],
    ["status", "statuses"],
    ["KEY", "KEYS"],
    ["POLICY", "POLICIES"],
    ["finding", "findings"],
  ])("%s → %s", (word, expected) => {
    expect(plural(word)).toBe(expected);
  });
});

describe("count", () => {
  it.each([
    [1, "day", undefined, "1 day"],
    [0, "day", undefined, "0 days"],
    [7, "day", undefined, "7 days"],
    [2, "expiry", undefined, "2 expiries"],
    [1_250, "event", undefined, "1,250 events"],
    [3, "assignment uses", "assignments use", "3 assignments use"],
    [1, "assignment uses", "assignments use", "1 assignment uses"],
  ])("%d %s", (n, singular, pluralForm, expected) => {
    expect(count(n, singular, pluralForm)).toBe(expected);
  });
});
