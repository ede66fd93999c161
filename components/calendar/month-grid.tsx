import type { CalendarDay } from "@/lib/calendar/events";
import { isoDay, type CalendarRange } from "@/lib/calendar/range";
import { count } from "@/lib/format/count";
import { cn } from "@/lib/utils";
import { EventChip } from "@/components/calendar/event-chip";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/** A day with at least this many events is marked as busy. */
export const BUSY_DAY = 5;
/** Events listed in a day of the month view; the rest are counted, a click away in the week. */
export const SHOWN_PER_DAY = 3;
/**
 * Events listed in a day of the week and agenda views. A busy month over thousands of keys has
 * hundreds a day, which no one reads in a list and which would make a page of megabytes.
 */
export const LISTED_PER_DAY = 10;
const NO_EVENTS: CalendarDay = { total: 0, events: [] };

/**
 * Month and week grids as a table: one row per week, a cell per day listing its first events
 * (three in the month view, with a link to the day's week; ten in the week view) and their count.
 */
export function CalendarGrid({
  range,
  days,
  today,
  weekHref,
  compact,
}: {
  range: CalendarRange;
  /** The events by day: in the month view, each day's first SHOWN_PER_DAY and its total. */
  days: ReadonlyMap<number, CalendarDay>;
  today: number;
  weekHref: (day: string) => string;
  compact: boolean;
}) {
  const weeks = Array.from({ length: range.days.length / 7 }, (_, i) =>
    range.days.slice(i * 7, i * 7 + 7),
  );
  return (
    <table
      className="w-full min-w-[44rem] table-fixed border-collapse text-sm"
      aria-label={range.label}
    >
      <thead>
        <tr>
          {WEEKDAYS.map((day) => (
            <th
              key={day}
              scope="col"
              className="border-b p-1 text-left text-xs font-medium text-muted-foreground"
            >
              {day}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={week[0]}>
            {week.map((day) => {
              const { total, events } = days.get(day) ?? NO_EVENTS;
              const busy = total >= BUSY_DAY;
              const outside = range.month !== null && new Date(day).getUTCMonth() !== range.month;
              const date = new Date(day);
              return (
                <td
                  key={day}
                  data-day={isoDay(day)}
                  data-busy={busy || undefined}
                  aria-label={`${isoDay(day)}: ${count(total, "event")}${busy ? ", busy day" : ""}`}
                  className={cn(
                    "h-28 border p-1 align-top",
                    outside && "bg-muted/40 text-muted-foreground",
                    busy && "bg-warning/5",
                    !compact && "h-64",
                  )}
                >
                  <div className="mb-1 flex items-center justify-between text-xs">
                    <span
                      className={cn(
                        "tabular-nums",
                        day === today && "rounded-full bg-primary px-1.5 text-primary-foreground",
                      )}
                    >
                      {date.getUTCDate()}
                    </span>
                    {busy ? (
                      <span
                        className="rounded bg-warning/20 px-1 font-medium"
                        title="Many events on this day"
                      >
                        {total}
                      </span>
                    ) : null}
                  </div>
                  <ul className="flex flex-col gap-0.5">
                    {events.map((event) => (
                      <li key={event.id}>
                        <EventChip event={event} compact={compact} />
                      </li>
                    ))}
                  </ul>
                  {total > events.length && compact ? (
                    <a
                      href={weekHref(isoDay(day))}
                      className="text-xs text-muted-foreground underline-offset-4 hover:underline"
                    >
                      +{total - events.length} more
                    </a>
                  ) : total > events.length ? (
                    <MoreThanListed hidden={total - events.length} />
                  ) : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Said under a day of the week or agenda view that lists only its first LISTED_PER_DAY. */
export function MoreThanListed({ hidden }: { hidden: number }) {
  return (
    <p className="text-xs text-muted-foreground">
      and {count(hidden, "more event")}: filter by HSM, owner or kind to list them
    </p>
  );
}
