import { formatDistanceStrict } from "date-fns";

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

/** "in 25 minutes", "3 hours ago". */
export function formatRelative(value: string | number | Date, now: number = Date.now()): string {
  return formatDistanceStrict(new Date(value), new Date(now), { addSuffix: true });
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
