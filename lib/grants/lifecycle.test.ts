import { describe, expect, it } from "vitest";

import { grantTransition, type GrantEvent, type GrantState } from "@/lib/grants/lifecycle";

const NOW = 1_000_000;
const claim = (expiresAt: number, claimedUntil: number | null = null): GrantEvent => ({
  type: "claim",
  now: NOW,
  expiresAt,
  claimedUntil,
});

describe("a time-limited grant's life", () => {
  it.each<[string, GrantState, GrantEvent, GrantState | RegExp]>([
    ["an active grant at its end is claimed", "active", claim(NOW), "ending"],
    ["an active grant past its end is claimed", "active", claim(NOW - 1), "ending"],
    ["an active grant before its end is not", "active", claim(NOW + 1), /not ended yet/],
    ["a removal whose job died is claimed again", "ending", claim(NOW - 10, NOW - 1), "ending"],
    ["a removal under way is left to its job", "ending", claim(NOW - 10, NOW + 1), /another job/],
    ["a removal without a claim is left alone", "ending", claim(NOW - 10, null), /another job/],
    ["an expired grant is not claimed", "expired", claim(NOW - 10), /is expired/],
    ["a revoked grant is not claimed", "revoked", claim(NOW - 10), /is revoked/],
    ["a removal ends an ending grant", "ending", { type: "removed" }, "expired"],
    ["a removal cannot end an active grant", "active", { type: "removed" }, /not being removed/],
    ["a failed removal leaves it ending", "ending", { type: "failed" }, "ending"],
    ["a failure leaves an expired grant", "expired", { type: "failed" }, /is expired/],
    ["a revocation ends an active grant", "active", { type: "revoke" }, "revoked"],
    ["a revocation ends an ending grant", "ending", { type: "revoke" }, "revoked"],
    ["an expired grant is not revoked", "expired", { type: "revoke" }, /is expired/],
  ])("%s", (_, state, event, expected) => {
    const step = grantTransition(state, event);
    if (typeof expected === "string") expect(step).toEqual({ ok: true, to: expected });
    else expect(!step.ok && step.reason).toMatch(expected);
  });
});
