import { add, sub, type Duration } from "date-fns";
import { parse } from "iso8601-duration";

/*
 * ISO-8601 durations as rotation policies write them (P90D, P3M, P1Y10D, PT48H), added to
 * dates with calendar arithmetic: P1M after 31 January is the last day of February.
 */

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** The duration, or null if the text is not a whole-number ISO-8601 duration. */
export function parseDuration(text: string): Duration | null {
  if (!DURATION.test(text)) return null;
  const { years, months, weeks, days, hours, minutes, seconds } = parse(text);
  return { years, months, weeks, days, hours, minutes, seconds };
}

export function addDuration(epochMs: number, duration: Duration): number {
  return add(new Date(epochMs), duration).getTime();
}

export function subtractDuration(epochMs: number, duration: Duration): number {
  return sub(new Date(epochMs), duration).getTime();
}

/** Whether the duration, counted from `fromMs`, lasts at least `days` days. */
export function lastsAtLeast(duration: Duration, days: number, fromMs: number): boolean {
  return addDuration(fromMs, duration) - fromMs >= days * 86_400_000;
}
