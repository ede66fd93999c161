import { describe, expect, it } from "vitest";

import { assessFreshness, HOUR_MS } from "@/lib/backup/freshness";

const NOW = Date.parse("2026-12-03T12:00:00Z");
const THRESHOLD = 26 * HOUR_MS;

describe("assessFreshness", () => {
  it.each([
    [
      "no good backup",
      null,
      { state: "never", ageMs: null },
      "weu has no good backup: none has ever succeeded, or retention deleted every one.",
    ],
    [
      "a backup an hour old",
      NOW - HOUR_MS,
      { state: "fresh", ageMs: HOUR_MS },
      "weu's last good backup finished 1 hour ago (2026-12-03 11:00 UTC).",
    ],
    [
      "a backup exactly at the threshold",
      NOW - THRESHOLD,
      { state: "fresh", ageMs: THRESHOLD },
      "weu's last good backup finished 26 hours ago (2026-12-02 10:00 UTC).",
    ],
    [
      "a backup a second past the threshold",
      NOW - THRESHOLD - 1_000,
      { state: "stale", ageMs: THRESHOLD + 1_000 },
      "weu's last good backup finished 26 hours ago (2026-12-02 09:59 UTC), more than 26 hours ago.",
    ],
    [
      "a backup ten minutes old",
      NOW - 10 * 60_000,
      { state: "fresh", ageMs: 10 * 60_000 },
      "weu's last good backup finished 10 minutes ago (2026-12-03 11:50 UTC).",
    ],
    [
      "a backup three days old",
      NOW - 72 * HOUR_MS,
      { state: "stale", ageMs: 72 * HOUR_MS },
      "weu's last good backup finished 3 days ago (2026-11-30 12:00 UTC), more than 26 hours ago.",
    ],
    [
      "a backup stamped after now (clock skew)",
      NOW + 5_000,
      { state: "fresh", ageMs: 0 },
      "weu's last good backup finished just now (2026-12-03 12:00 UTC).",
    ],
  ])("%s", (_name, lastGoodAt, expected, message) => {
    const freshness = assessFreshness("weu", lastGoodAt, THRESHOLD, NOW);
    expect(freshness).toEqual({
      hsm: "weu",
      lastGoodAt,
      thresholdMs: THRESHOLD,
      message,
      ...expected,
    });
  });

  it("says a threshold that is not whole hours in tenths", () => {
    expect(assessFreshness("weu", NOW - 2 * HOUR_MS, 1.5 * HOUR_MS, NOW).message).toContain(
      "more than 1.5 hours ago",
    );
  });
});
