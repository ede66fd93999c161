import { describe, expect, it } from "vitest";

import {
  executionOutcome,
  REQUEST_STATES,
  transition,
  type RequestEvent,
  type RequestState,
} from "@/lib/requests/state-machine";

const EVENTS: Record<string, RequestEvent> = {
  "approve, quorum reached": { type: "approve", approvals: 2, required: 2 },
  "approve, quorum not reached": { type: "approve", approvals: 1, required: 2 },
  reject: { type: "reject" },
  "cancel by the requester": { type: "cancel", byRequester: true },
  "cancel by someone else": { type: "cancel", byRequester: false },
  "expire, window over": { type: "expire", now: 100, expiresAt: 100 },
  "expire, window open": { type: "expire", now: 99, expiresAt: 100 },
  claim: { type: "claim" },
  "finish executed": { type: "finish", outcome: "executed" },
  "finish failed": { type: "finish", outcome: "failed" },
  "finish stale": { type: "finish", outcome: "stale" },
};

/** Every allowed move; anything not listed here must be refused. */
const ALLOWED: [RequestState, string, RequestState][] = [
  ["pending", "approve, quorum reached", "approved"],
  ["pending", "approve, quorum not reached", "pending"],
  ["pending", "reject", "rejected"],
  ["pending", "cancel by the requester", "cancelled"],
  ["pending", "expire, window over", "expired"],
  ["approved", "claim", "executing"],
  ["executing", "finish executed", "executed"],
  ["executing", "finish failed", "failed"],
  ["executing", "finish stale", "stale"],
];

describe("the request state machine", () => {
  const table = REQUEST_STATES.flatMap((state) =>
    Object.keys(EVENTS).map((event) => [state, event] as const),
  );
  it.each(table)("from %s on %s", (state, event) => {
    const result = transition(state, EVENTS[event]!);
    const allowed = ALLOWED.find(([from, on]) => from === state && on === event);
    if (allowed) expect(result).toEqual({ ok: true, from: state, to: allowed[2] });
    else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/\w+ \w+/);
    }
  });

  it("says why a settled request cannot be approved", () => {
    expect(transition("executed", EVENTS["approve, quorum reached"]!)).toEqual({
      ok: false,
      reason: "The request is executed, no longer pending.",
    });
  });
});

describe("the outcome of an execution", () => {
  it.each([
    [["executed", "executed"], "executed"],
    [["stale"], "stale"],
    [["stale", "stale"], "stale"],
    [["executed", "stale"], "failed"],
    [["executed", "failed"], "failed"],
    [["failed"], "failed"],
  ] as const)("%j ends %s", (items, outcome) => {
    expect(executionOutcome(items)).toBe(outcome);
  });
});
