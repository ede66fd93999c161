import { eventAction, type CalendarEvent, type CalendarEventKind } from "@/lib/calendar/events";
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

/**
 * One event as a link to its key, coloured by kind. The key's full name is always shown, wrapped
 * after its hyphens rather than cut: names differ only at their ends ("…-prod-02", "…-staging-02").
 * The month view shows the name alone; the week and agenda views add the UTC time (local time on
 * hover) and a second line with what happens and the HSM. Whatever is not shown is in the
 * tooltip and the accessible name, which reads "Rotation: <key> rotates … in <hsm>".
 */
export function EventChip({ event, compact = false }: { event: CalendarEvent; compact?: boolean }) {
  const action = eventAction(event);
  return (
    <a
      href={`/keys/${encodeURIComponent(event.hsm)}/${encodeURIComponent(event.name)}`}
      className={cn(
        "block rounded border px-1.5 py-0.5 text-xs leading-snug outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50",
        KIND_STYLES[event.kind],
      )}
      data-kind={event.kind}
      title={`${KIND_LABELS[event.kind]}: ${event.title} (${event.hsm}), ${hhmm(event.at)} UTC`}
    >
      <span className="sr-only">{KIND_LABELS[event.kind]}: </span>
      <span className="block font-medium [overflow-wrap:anywhere]">
        {compact ? null : (
          <>
            <LocalTime at={event.at}>
              <span className="tabular-nums">{hhmm(event.at)}</span>
            </LocalTime>{" "}
          </>
        )}
        <span data-part="key-name">{event.name}</span>
      </span>{" "}
      {compact ? (
        <span className="sr-only">
          {action} in {event.hsm}
        </span>
      ) : (
        <span className="block">
          <span className="inline-block [overflow-wrap:anywhere]">{action}</span>
          <span className="sr-only"> in</span>{" "}
          <span className="inline-block [overflow-wrap:anywhere]">
            <span aria-hidden="true">· </span>
            <span data-part="hsm">{event.hsm}</span>
          </span>
        </span>
      )}
    </a>
  );
}
