import { dateView } from "@/lib/format/date";
import { DateText } from "@/components/data-table/date-text";

/** A UTC date; the exact time and the relative one in the title. */
export function CellDate({
  value,
  now,
  empty = "—",
  withTime = false,
}: {
  value: number | null;
  now: number;
  empty?: string;
  /** Show the time of day too (events such as sync runs, rather than dates such as expiry). */
  withTime?: boolean;
}) {
  if (value === null) return <span className="text-muted-foreground">{empty}</span>;
  return <DateText view={dateView(value, now, withTime)} />;
}
