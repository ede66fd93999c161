import { formatDistanceStrict } from "date-fns";

/*
 * How fresh an HSM's last good backup is. Pure: the HSM's last good backup (when it finished,
 * or none), the threshold and the time now in; its state and the sentence that says it out.
 * An HSM with no good backup at all is "never": worse than stale, and alerted like it.
 */

export type FreshnessState = "fresh" | "stale" | "never";

export interface BackupFreshness {
  hsm: string;
  state: FreshnessState;
  /** When the last good backup finished (epoch ms); null when there is none. */
  lastGoodAt: number | null;
  /** How long ago that was (never negative); null when there is none. */
  ageMs: number | null;
  thresholdMs: number;
  /** The state in words, for a page, a webhook or an audit event. */
  message: string;
}

export const DEFAULT_STALE_HOURS = 26;
export const HOUR_MS = 3_600_000;

const utc = (time: number) => `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const hours = (ms: number) => {
  const h = ms / HOUR_MS;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} hour${h === 1 ? "" : "s"}`;
};

/** Past the threshold (strictly) is stale; a backup that finished "in the future" is fresh. */
export function assessFreshness(
  hsm: string,
  lastGoodAt: number | null,
  thresholdMs: number,
  now: number,
): BackupFreshness {
  if (lastGoodAt === null)
    return {
      hsm,
      state: "never",
      lastGoodAt,
      ageMs: null,
      thresholdMs,
      message: `${hsm} has no good backup: none has ever succeeded, or retention deleted every one.`,
    };
  const ageMs = Math.max(0, now - lastGoodAt);
  const unit = ageMs < HOUR_MS ? "minute" : ageMs < 72 * HOUR_MS ? "hour" : "day";
  const ago =
    ageMs < 60_000
      ? "just now"
      : `${formatDistanceStrict(lastGoodAt, lastGoodAt + ageMs, { unit, roundingMethod: "floor" })} ago`;
  if (ageMs > thresholdMs)
    return {
      hsm,
      state: "stale",
      lastGoodAt,
      ageMs,
      thresholdMs,
      message: `${hsm}'s last good backup finished ${ago} (${utc(lastGoodAt)}), more than ${hours(thresholdMs)} ago.`,
    };
  return {
    hsm,
    state: "fresh",
    lastGoodAt,
    ageMs,
    thresholdMs,
    message: `${hsm}'s last good backup finished ${ago} (${utc(lastGoodAt)}).`,
  };
}
