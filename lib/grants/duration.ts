import { parseDuration } from "@/lib/rotation/duration";

/*
 * How long a time-limited grant lasts: an ISO 8601 duration from PT15M to P30D, in weeks, days,
 * hours, minutes or seconds (a month or a year has no fixed length, so they are refused). Read
 * with the ISO 8601 parser rotation policies use (iso8601-duration, whole numbers only). Pure.
 */

export const MIN_GRANT_MS = 15 * 60_000;
export const MAX_GRANT_MS = 30 * 86_400_000;
export const GRANT_DURATION_WORDS =
  "a time-limited grant lasts from 15 minutes (PT15M) to 30 days (P30D)";

/** The duration in milliseconds, or why it is not a grant's duration. */
export function grantDurationMs(text: string): { ms: number } | { error: string } {
  const duration = parseDuration(text);
  if (!duration)
    return { error: `must be an ISO 8601 duration such as PT1H or P7D; ${GRANT_DURATION_WORDS}` };
  const { years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0 } = duration;
  if (years > 0 || months > 0)
    return { error: `${GRANT_DURATION_WORDS}; give months or years as days (P30D)` };
  const totalMinutes = ((weeks * 7 + days) * 24 + hours) * 60 + minutes;
  const ms = (totalMinutes * 60 + (duration.seconds ?? 0)) * 1000;
  if (ms < MIN_GRANT_MS || ms > MAX_GRANT_MS) return { error: GRANT_DURATION_WORDS };
  return { ms };
}

/** "2 h 14 min", "3 days 4 h", "40 s": what is left of a grant, for pages. */
export function remainingInWords(ms: number): string {
  if (ms <= 0) return "ending now";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.ceil(ms / 1000)} s`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} day${days === 1 ? "" : "s"}${hours > 0 ? ` ${hours} h` : ""}`;
  if (hours > 0) return `${hours} h${rest > 0 ? ` ${rest} min` : ""}`;
  return `${rest} min`;
}
