import { TZDate } from "@date-fns/tz";
import { format, formatDistanceStrict } from "date-fns";

/*
 * The one place dates become text. Keyward shows absolute times in UTC (keys, sessions and
 * audit trails are compared across regions); the relative time goes next to it or in a tooltip.
 * Never infer a time zone from the browser's locale.
 */

export function formatUtc(value: string | number | Date): string {
  return `${format(new TZDate(new Date(value).getTime(), "UTC"), "d MMM yyyy, HH:mm")} UTC`;
}

/** "in 25 minutes", "3 hours ago". */
export function formatRelative(value: string | number | Date, now: number = Date.now()): string {
  return formatDistanceStrict(new Date(value), new Date(now), { addSuffix: true });
}
