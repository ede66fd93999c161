import { TZDate } from "@date-fns/tz";
import { add, sub, type Duration } from "date-fns";
import { parse, pattern } from "iso8601-duration";

/*
 * ISO-8601 durations as Managed HSM takes them in rotation policies (P90D, P3M, P1Y, PT48H):
 * whole numbers only, counted on the UTC calendar, a month after 31 January being the last day
 * of February (as .NET's AddMonths, which the service runs on, counts).
 */

const WHOLE_DURATION = new RegExp(`^${pattern.source}$`);

/** The duration, or null when the text is not a whole-number ISO-8601 duration. */
export function parseDuration(text: string): Duration | null {
  if (!WHOLE_DURATION.test(text)) return null;
  try {
    const duration = parse(text);
    return Object.values(duration).every(Number.isInteger) ? duration : null;
  } catch {
    return null;
  }
}

export function addDuration(epochMs: number, duration: Duration): number {
  return add(new TZDate(epochMs, "UTC"), duration).getTime();
}

export function subtractDuration(epochMs: number, duration: Duration): number {
  return sub(new TZDate(epochMs, "UTC"), duration).getTime();
}

/** Whether the duration, counted from `fromMs`, lasts at least `days` days. */
export function lastsAtLeast(duration: Duration, days: number, fromMs: number): boolean {
  return addDuration(fromMs, duration) - fromMs >= days * 86_400_000;
}
