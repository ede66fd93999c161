import type { CalendarDay } from "@/lib/calendar/events";
import { formatUtcDate } from "@/lib/format/date";
import { EventChip } from "@/components/calendar/event-chip";
import { MoreThanListed } from "@/components/calendar/month-grid";

/** The agenda view: the days that have events, each with its first events in time order. */
export function Agenda({ days: byDay }: { days: ReadonlyMap<number, CalendarDay> }) {
  const days = [...byDay].sort(([a], [b]) => a - b);
  if (days.length === 0)
    return <p className="text-sm text-muted-foreground">No events in these days.</p>;
  return (
    <ol aria-label="Agenda" className="flex flex-col gap-3">
      {days.map(([day, { total, events }]) => (
        <li key={day}>
          <h3 className="mb-1 text-sm font-medium">{formatUtcDate(day)}</h3>
          <ul className="flex flex-col gap-1">
            {events.map((event) => (
              <li key={event.id} className="max-w-xl">
                <EventChip event={event} />
              </li>
            ))}
          </ul>
          {total > events.length ? <MoreThanListed hidden={total - events.length} /> : null}
        </li>
      ))}
    </ol>
  );
}
