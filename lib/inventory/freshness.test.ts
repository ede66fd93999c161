import { describe, expect, it } from "vitest";

import { freshnessOf, type HsmSyncState } from "@/lib/inventory/freshness";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const MIN = 60_000;
const state = (overrides: Partial<HsmSyncState>): HsmSyncState => ({
  name: "weu",
  lastSuccessAt: null,
  lastAttemptAt: null,
  lastError: null,
  lastErrorAt: null,
  ...overrides,
});

describe("freshnessOf", () => {
  it.each([
    ["never synced", undefined, "never", /has not been synced yet; its keys appear/],
    [
      "never synced, failing",
      state({ lastError: "HSM weu is unreachable (ECONNREFUSED).", lastErrorAt: NOW - 2 * MIN }),
      "failing",
      /last attempt failed 2 min ago \(HSM weu is unreachable/,
    ],
    ["synced a minute ago", state({ lastSuccessAt: NOW - MIN }), "fresh", null],
    [
      "synced, then failed",
      state({
        lastSuccessAt: NOW - 20 * MIN,
        lastError: "HSM weu is unavailable (HTTP 503); try again shortly.",
        lastErrorAt: NOW - MIN,
      }),
      "failing",
      /could not be synced 1 min ago: HSM weu is unavailable .* last good sync, 20 min ago/,
    ],
    [
      "failed before the last success",
      state({ lastSuccessAt: NOW - MIN, lastError: "old", lastErrorAt: NOW - 5 * MIN }),
      "fresh",
      null,
    ],
    ["overdue", state({ lastSuccessAt: NOW - 40 * MIN }), "stale", /last synced 40 min ago/],
  ])("%s", (_name, input, status, message) => {
    const result = freshnessOf(input, "weu", 5, NOW);
    expect(result.status).toBe(status);
    if (message) expect("message" in result ? result.message : "").toMatch(message);
  });

  it("never calls data stale when scheduled sync is off", () => {
    expect(freshnessOf(state({ lastSuccessAt: NOW - 86_400_000 }), "weu", 0, NOW).status).toBe(
      "fresh",
    );
  });
});
