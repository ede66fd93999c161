import type { CalendarEvent, CalendarEventKind } from "@/lib/calendar/events";
import { cn } from "@/lib/utils";
import { LocalTime } from "@/components/calendar/local-time";

export const KIND_LABELS: Record<CalendarEventKind, string> = {
  rotation: "Rotation",
  expiry: "Expiry",
  reminder: "Reminder",
};

export const KIND_STYLES: Record<CalendarEventKind, string> = {
  rotation: "border-primary/30 bg-primary/10 text-primary",
  expiry: "border-destructive/30 bg-destructive/10 text-destructive",
  reminder: "border-warning/40 bg-warning/15 text-foreground",
};

const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);

/** One event as a link to its key, coloured by kind, with the UTC time and local time on hover. */
export function EventChip({
  event,
  showTime = true,
}: {
  event: CalendarEvent;
  showTime?: boolean;
}) {
  return (
    <a
      href={`/keys/${encodeURIComponent(event.hsm)}/${encodeURIComponent(event.name)}`}
      className={cn(
        "block truncate rounded border px-1.5 py-0.5 text-xs outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50",
        KIND_STYLES[event.kind],
      )}
      data-kind={event.kind}
      title={`${KIND_LABELS[event.kind]}: ${event.title} (${event.hsm})`}
    >
      <span className="sr-only">{KIND_LABELS[event.kind]}: </span>
      {showTime ? (
        <LocalTime at={event.at}>
          <span className="tabular-nums">{hhmm(event.at)}</span>
        </LocalTime>
      ) : null}{" "}
      {event.title}
      <span className="sr-only"> in {event.hsm}</span>
    </a>
  );
}
