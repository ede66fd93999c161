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
 * request's time. Here everything is arithmetic on epoch milliseconds and days, months and years
 * included; the tests hold the results equal to date-fns's in UTC.
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

/** The range of a JavaScript Date: beyond it there is no calendar date, as with `new Date`. */
const MAX_EPOCH_MS = 8.64e15;

/** Calendar months in UTC; a day past the new month's end becomes its last day. */
function addMonths(epochMs: number, months: number): number {
  if (months === 0 || !Number.isFinite(epochMs)) return epochMs;
  if (Math.abs(epochMs) > MAX_EPOCH_MS) return Number.NaN;
  const epochDay = Math.floor(epochMs / DAY_MS);
  const { year, month, day } = civilFromDays(epochDay);
  const shifted = month - 1 + months;
  const newYear = year + Math.floor(shifted / 12);
  const newMonth = (((shifted % 12) + 12) % 12) + 1;
  const newDay = Math.min(day, daysInMonth(newYear, newMonth));
  const result = daysFromCivil(newYear, newMonth, newDay) * DAY_MS + (epochMs - epochDay * DAY_MS);
  return Math.abs(result) > MAX_EPOCH_MS ? Number.NaN : result;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/*
 * Proleptic Gregorian dates to and from days since 1970-01-01, by Howard Hinnant's
 * days_from_civil and civil_from_days (https://howardhinnant.github.io/date_algorithms.html):
 * integer arithmetic over 400-year eras starting in March, so no Date object is built.
 */
const DAYS_PER_ERA = 146_097;
const EPOCH_SHIFT = 719_468; // days from 0000-03-01 to 1970-01-01

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - EPOCH_SHIFT;
}

function civilFromDays(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + EPOCH_SHIFT;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
