import { formatDuration } from "@/lib/format/duration";

/*
 * How fresh each HSM's mirrored data is, and what to tell the reader when it is not: never
 * synced, the last attempt failed (and what the last good data is), or simply overdue. Pure.
 */

export interface HsmSyncState {
  name: string;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export type Freshness =
  | { hsm: string; status: "fresh"; lastSuccessAt: number }
  | { hsm: string; status: "never"; message: string }
  | { hsm: string; status: "failing" | "stale"; lastSuccessAt: number | null; message: string };

/** Data older than this many sync intervals is called stale. */
const STALE_AFTER_INTERVALS = 3;

function age(from: number, now: number): string {
  return `${formatDuration((now - from) / 1000)} ago`;
}

export function freshnessOf(
  state: HsmSyncState | undefined,
  hsm: string,
  intervalMinutes: number,
  now: number,
): Freshness {
  if (!state?.lastSuccessAt) {
    if (state?.lastError)
      return {
        hsm,
        status: "failing",
        lastSuccessAt: null,
        message: `HSM ${hsm} has not been synced yet: the last attempt failed ${age(state.lastErrorAt ?? now, now)} (${state.lastError}).`,
      };
    return {
      hsm,
      status: "never",
      message: `HSM ${hsm} has not been synced yet; its keys appear after the first sync.`,
    };
  }
  const shownAge = age(state.lastSuccessAt, now);
  if (state.lastErrorAt && state.lastErrorAt > state.lastSuccessAt)
    return {
      hsm,
      status: "failing",
      lastSuccessAt: state.lastSuccessAt,
      message: `HSM ${hsm} could not be synced ${age(state.lastErrorAt, now)}: ${state.lastError ?? "unknown error"} Showing the data of the last good sync, ${shownAge}.`,
    };
  const staleAfter = Math.max(intervalMinutes, 5) * 60_000 * STALE_AFTER_INTERVALS;
  if (intervalMinutes > 0 && now - state.lastSuccessAt > staleAfter)
    return {
      hsm,
      status: "stale",
      lastSuccessAt: state.lastSuccessAt,
      message: `HSM ${hsm} was last synced ${shownAge}; the data may be out of date.`,
    };
  return { hsm, status: "fresh", lastSuccessAt: state.lastSuccessAt };
}
