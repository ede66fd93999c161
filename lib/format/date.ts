/*
 * The one place dates become text. Keyward shows absolute times in UTC (keys, sessions and
 * audit trails are compared across regions); the relative time goes next to it or in a tooltip.
 * Never infer a time zone from the browser's locale. UTC needs no time-zone database, so the
 * absolute forms are built from the Date's UTC fields: tables format thousands of them.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** "29 Nov 2026, 00:46 UTC". */
export function formatUtc(value: string | number | Date): string {
  const date = new Date(value);
  return `${formatUtcDate(date)}, ${two(date.getUTCHours())}:${two(date.getUTCMinutes())} UTC`;
}

/** The UTC calendar date alone, for dense tables: "1 Jan 2027". */
export function formatUtcDate(value: string | number | Date): string {
  const date = new Date(value);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "always" });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/* formatDistanceStrict's units and limits: a month is 30 days, a year 365. */
const UNITS: readonly [below: number, size: number, unit: Intl.RelativeTimeFormatUnit][] = [
  [MINUTE, 1_000, "second"],
  [HOUR, MINUTE, "minute"],
  [DAY, HOUR, "hour"],
  [30 * DAY, DAY, "day"],
  [365 * DAY, 30 * DAY, "month"],
  [Infinity, 365 * DAY, "year"],
];

/**
 * "in 25 minutes", "3 hours ago": the one nearest unit, rounded, worded as date-fns's
 * formatDistanceStrict does. Built on Intl rather than date-fns because every date cell of a
 * table calls it, and date-fns's time-zone handling made it a twentieth of the keys page's
 * server time (in UTC it changes nothing).
 */
export function formatRelative(value: string | number | Date, now: number = Date.now()): string {
  const difference = new Date(value).getTime() - now;
  const distance = Math.abs(difference);
  const [, size, unit] = UNITS.find(([below]) => distance < below)!;
  const count = Math.round(distance / size);
  return relative.format(difference > 0 ? count : -count, unit);
}

/** A date as a table cell shows it: the machine-readable instant, the text, the tooltip. */
export interface DateView {
  iso: string;
  text: string;
  title: string;
}

/** The UTC date (with the time for events), and the exact time and relative one as the tooltip. */
export function dateView(value: number, now: number, withTime = false): DateView {
  return {
    iso: new Date(value).toISOString(),
    text: withTime ? formatUtc(value) : formatUtcDate(value),
    title: `${formatUtc(value)} (${formatRelative(value, now)})`,
  };
}
