import { describe, expect, it } from "vitest";

import { isRetriableStatus, retryAfterMs, retryDelayMs } from "@/lib/hsm/retry-delay";

const headers = (values: Record<string, string>) => (name: string) => values[name];
const NOW = Date.parse("2026-11-29T12:00:00Z");

describe("retryAfterMs", () => {
  it.each([
    [{}, undefined],
    [{ "retry-after": "3" }, 3000],
    [{ "retry-after": "0" }, 0],
    [{ "retry-after-ms": "250" }, 250],
    [{ "x-ms-retry-after-ms": "1500", "retry-after": "9" }, 1500],
    [{ "retry-after": "Sun, 29 Nov 2026 12:00:05 GMT" }, 5000],
    [{ "retry-after": "Sun, 29 Nov 2026 11:59:00 GMT" }, 0],
    [{ "retry-after": "soon" }, undefined],
    [{ "retry-after-ms": "-5" }, undefined],
  ])("reads %j", (values, expected) => {
    expect(retryAfterMs(headers(values), NOW)).toBe(expected);
  });
});

describe("retryDelayMs", () => {
  it.each([
    [0, 1000],
    [1, 2000],
    [2, 4000],
    [3, 8000],
    [4, 16000],
    [7, 16000],
  ])("backs off exponentially without Retry-After: retry %i waits about %i ms", (attempt, base) => {
    expect(retryDelayMs(attempt, undefined, () => 0.5)).toBe(base);
    expect(retryDelayMs(attempt, undefined, () => 0)).toBe(base * 0.75);
    expect(retryDelayMs(attempt, undefined, () => 0.999999)).toBeLessThanOrEqual(base * 1.25);
  });

  it("waits what the server asks for, within a cap", () => {
    expect(retryDelayMs(3, 1200)).toBe(1200);
    expect(retryDelayMs(0, 3_600_000)).toBe(64_000);
  });
});

describe("isRetriableStatus", () => {
  it.each([
    [429, true],
    [503, true],
    [500, true],
    [502, true],
    [504, true],
    [408, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [501, false],
  ])("%i → %s", (status, expected) => {
    expect(isRetriableStatus(status)).toBe(expected);
  });
});
