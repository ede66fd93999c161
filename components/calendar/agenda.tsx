import type { CalendarEvent } from "@/lib/calendar/events";
import { formatUtcDate } from "@/lib/format/date";
import { EventChip } from "@/components/calendar/event-chip";
import { eventsByDay } from "@/components/calendar/month-grid";

/** The agenda view: the days that have events, each with its events in time order. */
export function Agenda({ events }: { events: readonly CalendarEvent[] }) {
  const days = [...eventsByDay(events)].sort(([a], [b]) => a - b);
  if (days.length === 0)
    return <p className="text-sm text-muted-foreground">No events in these days.</p>;
  return (
    <ol aria-label="Agenda" className="flex flex-col gap-3">
      {days.map(([day, list]) => (
        <li key={day}>
          <h3 className="mb-1 text-sm font-medium">{formatUtcDate(day)}</h3>
          <ul className="flex flex-col gap-1">
            {list.map((event) => (
              <li key={event.id} className="max-w-xl">
                <EventChip event={event} />
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
