import type { Duration } from "date-fns";
import { parse } from "iso8601-duration";

/*
 * ISO-8601 durations as rotation policies write them (P90D, P3M, P1Y10D, PT48H), added to
 * dates with calendar arithmetic in UTC: P1M after 31 January is the last day of February.
 *
 * The calendar, the health checks and the ICS feed add durations for every key of every HSM on
 * each request (tens of thousands of additions for 5,000 keys), so this is written for speed:
 * date-fns's `add` builds several Date objects per addition, and in the portal Next.js wraps
 * the Date constructor to watch for clock reads, which made the additions most of a calendar
 * request's time. Here months and years use one Date, and everything else is arithmetic on
 * epoch milliseconds; the tests hold the results equal to date-fns's in UTC.
 */

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Policies repeat a handful of texts; the bound keeps arbitrary input from growing it. */
const PARSED_LIMIT = 256;
const parsed = new Map<string, Readonly<Duration> | null>();

/** The duration, or null if the text is not a whole-number ISO-8601 duration. */
export function parseDuration(text: string): Readonly<Duration> | null {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const duration = DURATION.test(text) ? Object.freeze(pick(parse(text))) : null;
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(text, duration);
  return duration;
}

function pick({ years, months, weeks, days, hours, minutes, seconds }: Duration): Duration {
  return { years, months, weeks, days, hours, minutes, seconds };
}

export function addDuration(epochMs: number, duration: Readonly<Duration>): number {
  return shift(epochMs, duration, 1);
}

export function subtractDuration(epochMs: number, duration: Readonly<Duration>): number {
  return shift(epochMs, duration, -1);
}

/** Whether the duration, counted from `fromMs`, lasts at least `days` days. */
export function lastsAtLeast(duration: Readonly<Duration>, days: number, fromMs: number): boolean {
  return addDuration(fromMs, duration) - fromMs >= days * DAY_MS;
}

/** Months and years first, then weeks and days, then the time of day: date-fns's order. */
function shift(epochMs: number, duration: Readonly<Duration>, sign: 1 | -1): number {
  const months = (duration.years ?? 0) * 12 + (duration.months ?? 0);
  const days = (duration.weeks ?? 0) * 7 + (duration.days ?? 0);
  const time =
    (duration.hours ?? 0) * HOUR_MS +
    (duration.minutes ?? 0) * MINUTE_MS +
    (duration.seconds ?? 0) * SECOND_MS;
  return addMonths(epochMs, sign * months) + sign * (days * DAY_MS + time);
}

/** Calendar months in UTC; a day past the new month's end becomes its last day. */
function addMonths(epochMs: number, months: number): number {
  if (months === 0 || !Number.isFinite(epochMs)) return epochMs;
  const date = new Date(epochMs);
  const month = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(month / 12);
  const monthOfYear = ((month % 12) + 12) % 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, monthOfYear));
  return (
    Date.UTC(year, monthOfYear, day) +
    (epochMs - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
  );
}

function daysInMonth(year: number, monthOfYear: number): number {
  if (monthOfYear === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [3, 5, 8, 10].includes(monthOfYear) ? 30 : 31;
}
