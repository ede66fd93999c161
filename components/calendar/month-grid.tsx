import type { CalendarEvent } from "@/lib/calendar/events";
import { isoDay, type CalendarRange } from "@/lib/calendar/range";
import { count } from "@/lib/format/count";
import { cn } from "@/lib/utils";
import { EventChip } from "@/components/calendar/event-chip";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DAY_MS = 86_400_000;
/** A day with at least this many events is marked as busy. */
export const BUSY_DAY = 5;
const SHOWN_PER_DAY = 3;

export function eventsByDay(events: readonly CalendarEvent[]): Map<number, CalendarEvent[]> {
  const byDay = new Map<number, CalendarEvent[]>();
  for (const event of events) {
    const day = Math.floor(event.at / DAY_MS) * DAY_MS;
    byDay.set(day, [...(byDay.get(day) ?? []), event]);
  }
  return byDay;
}

/**
 * Month and week grids as a table: one row per week, a cell per day listing its events (the
 * first few in the month view, with a link to the day's week for the rest).
 */
export function CalendarGrid({
  range,
  events,
  today,
  weekHref,
  compact,
}: {
  range: CalendarRange;
  events: readonly CalendarEvent[];
  today: number;
  weekHref: (day: string) => string;
  compact: boolean;
}) {
  const byDay = eventsByDay(events);
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
              const list = byDay.get(day) ?? [];
              const busy = list.length >= BUSY_DAY;
              const outside = range.month !== null && new Date(day).getUTCMonth() !== range.month;
              const shown = compact ? list.slice(0, SHOWN_PER_DAY) : list;
              const date = new Date(day);
              return (
                <td
                  key={day}
                  data-day={isoDay(day)}
                  data-busy={busy || undefined}
                  aria-label={`${isoDay(day)}: ${count(list.length, "event")}${busy ? ", busy day" : ""}`}
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
                        {list.length}
                      </span>
                    ) : null}
                  </div>
                  <ul className="flex flex-col gap-0.5">
                    {shown.map((event) => (
                      <li key={event.id}>
                        <EventChip event={event} compact={compact} />
                      </li>
                    ))}
                  </ul>
                  {list.length > shown.length ? (
                    <a
                      href={weekHref(isoDay(day))}
                      className="text-xs text-muted-foreground underline-offset-4 hover:underline"
                    >
                      +{list.length - shown.length} more
                    </a>
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
