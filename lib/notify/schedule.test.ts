import { describe, expect, it } from "vitest";

import { afterFailure, GIVE_UP_AFTER_MS, roundBackoffMs } from "@/lib/notify/schedule";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse("2026-06-01T12:00:00Z");

describe("roundBackoffMs", () => {
  it.each([
    [1, 1 * MINUTE],
    [2, 2 * MINUTE],
    [3, 4 * MINUTE],
    [6, 32 * MINUTE],
    [7, HOUR],
    [8, HOUR],
    [500, HOUR],
  ])("after round %i waits %i ms", (round, wait) => {
    expect(roundBackoffMs(round)).toBe(wait);
  });

  it("counts rounds from 1", () => {
    expect(() => roundBackoffMs(0)).toThrow(RangeError);
  });
});

describe("afterFailure", () => {
  it.each([
    ["the first attempt: pause a second", 1, T0, { kind: "pause", delayMs: 1_000 }],
    ["the second attempt: pause three seconds", 2, T0 + 1_000, { kind: "pause", delayMs: 3_000 }],
    ["a failed first round: a minute", 3, T0 + 4_000, { kind: "later", at: T0 + 4_000 + MINUTE }],
    ["inside the second round", 4, T0 + 2 * MINUTE, { kind: "pause", delayMs: 1_000 }],
    [
      "a failed second round: two minutes",
      6,
      T0 + 2 * MINUTE,
      { kind: "later", at: T0 + 4 * MINUTE },
    ],
    [
      "a failed tenth round: an hour at most",
      30,
      T0 + 10 * HOUR,
      { kind: "later", at: T0 + 11 * HOUR },
    ],
    ["a round whose wait would pass the day: give up", 60, T0 + 23.5 * HOUR, { kind: "give-up" }],
    [
      "a pause that would pass the day: give up",
      61,
      T0 + GIVE_UP_AFTER_MS - 500,
      { kind: "give-up" },
    ],
    [
      "a pause that ends just at the day: still tried",
      61,
      T0 + GIVE_UP_AFTER_MS - 1_000,
      { kind: "pause", delayMs: 1_000 },
    ],
    ["an attempt made after the day: give up", 1, T0 + GIVE_UP_AFTER_MS + 1, { kind: "give-up" }],
  ])("after %s", (_name, failed, now, expected) => {
    expect(afterFailure(failed, T0, now)).toEqual(expected);
  });

  it("tries a webhook that never answers a bounded number of times in a day", () => {
    let now = T0;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const next = afterFailure(attempts, T0, now);
      if (next.kind === "give-up") break;
      now = next.kind === "pause" ? now + next.delayMs : next.at;
    }
    expect(now - T0).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    expect(now - T0).toBeGreaterThan(GIVE_UP_AFTER_MS - HOUR);
    // Rounds at 0, 1, 3, 7, 15, 31, 63 minutes, then hourly: 29 rounds of three.
    expect(attempts).toBe(87);
  });

  it("decides only after a failed attempt", () => {
    expect(() => afterFailure(0, T0, T0)).toThrow(RangeError);
  });
});
