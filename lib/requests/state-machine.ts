/*
 * The life of a change request. Pure: `transition(state, event)` says the next state or why the
 * event is refused; the service applies it with a guarded update (`… where state = <from>`), so
 * two portal instances can never both move a request out of the same state.
 *
 *   pending ──approve (quorum)──► approved ──claim──► executing ──► executed | failed | stale
 *      │ reject / cancel / expire / stale (target changed before approval completed)
 *      ▼
 *   rejected | cancelled | expired | stale
 */

export const REQUEST_STATES = [
  "pending",
  "approved",
  "executing",
  "executed",
  "failed",
  "rejected",
  "cancelled",
  "expired",
  "stale",
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States a request never leaves. */
export const SETTLED_STATES: ReadonlySet<RequestState> = new Set([
  "executed",
  "failed",
  "rejected",
  "cancelled",
  "expired",
  "stale",
]);

export type RequestEvent =
  | { type: "approve"; approvals: number; required: number }
  | { type: "reject" }
  | { type: "cancel"; byRequester: boolean }
  | { type: "expire"; now: number; expiresAt: number }
  | { type: "claim" }
  | { type: "finish"; outcome: "executed" | "failed" | "stale" };

export type Transition =
  { ok: true; from: RequestState; to: RequestState } | { ok: false; reason: string };

const refuse = (reason: string): Transition => ({ ok: false, reason });

export function transition(state: RequestState, event: RequestEvent): Transition {
  const move = (to: RequestState): Transition => ({ ok: true, from: state, to });
  switch (event.type) {
    case "approve":
      if (state !== "pending") return refuse(`The request is ${state}, no longer pending.`);
      return move(event.approvals >= event.required ? "approved" : "pending");
    case "reject":
      if (state !== "pending") return refuse(`The request is ${state}, no longer pending.`);
      return move("rejected");
    case "cancel":
      if (!event.byRequester) return refuse("Only the person who filed a request can cancel it.");
      if (state !== "pending")
        return refuse(`The request is ${state}; only a pending one can be cancelled.`);
      return move("cancelled");
    case "expire":
      if (state !== "pending") return refuse(`The request is ${state}, no longer pending.`);
      if (event.now < event.expiresAt)
        return refuse("The request's approval window is still open.");
      return move("expired");
    case "claim":
      if (state !== "approved") return refuse(`The request is ${state}, not approved.`);
      return move("executing");
    case "finish":
      if (state !== "executing") return refuse(`The request is ${state}, not executing.`);
      return move(event.outcome);
  }
}

export const ITEM_STATES = ["pending", "executing", "executed", "failed", "stale"] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/**
 * How a request's execution ended, from its items': executed when every item was, stale when
 * every item found its target changed (nothing was written), failed otherwise (some items may
 * have been executed: each item says).
 */
export function executionOutcome(items: readonly ItemState[]): "executed" | "failed" | "stale" {
  if (items.every((state) => state === "executed")) return "executed";
  if (items.every((state) => state === "stale")) return "stale";
  return "failed";
}
