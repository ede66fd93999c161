/*
 * A time-limited grant's life: `active` from the moment its role assignment is made, `ending`
 * while the expiry job removes the assignment (claimed for a while, so that a job that dies
 * leaves it to the next), then `expired`; or `revoked` when a role-assignment.delete request
 * removed it first. Pure: the job and the executor apply these as guarded updates.
 */

export const GRANT_STATES = ["active", "ending", "expired", "revoked"] as const;
export type GrantState = (typeof GRANT_STATES)[number];

export type GrantEvent =
  | { type: "claim"; now: number; expiresAt: number; claimedUntil: number | null }
  | { type: "removed" }
  /** The removal failed: the grant stays `ending`, its claim given back for the next round. */
  | { type: "failed" }
  | { type: "revoke" };

export type GrantStep = { ok: true; to: GrantState } | { ok: false; reason: string };

export function grantTransition(state: GrantState, event: GrantEvent): GrantStep {
  switch (event.type) {
    case "claim":
      if (state === "active")
        return event.now >= event.expiresAt
          ? { ok: true, to: "ending" }
          : { ok: false, reason: "the grant has not ended yet" };
      if (state === "ending")
        return event.claimedUntil !== null && event.claimedUntil < event.now
          ? { ok: true, to: "ending" }
          : { ok: false, reason: "another job is removing it" };
      return { ok: false, reason: `the grant is ${state}` };
    case "removed":
    case "failed":
      return state === "ending"
        ? { ok: true, to: event.type === "removed" ? "expired" : "ending" }
        : { ok: false, reason: `the grant is ${state}, not being removed` };
    case "revoke":
      return state === "active" || state === "ending"
        ? { ok: true, to: "revoked" }
        : { ok: false, reason: `the grant is ${state}` };
  }
}

/** The states a grant may be claimed from by the expiry job, given the clock. */
export const CLAIMABLE: readonly GrantState[] = ["active", "ending"];
