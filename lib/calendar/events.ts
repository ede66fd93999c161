import { count } from "@/lib/format/count";
import { keyEvents, type KeyEventKind, type KeyTimeline } from "@/lib/rotation/schedule";

/*
 * The calendar's events: each key's rotations and expiries over a window, and the reminders the
 * portal gives N days before each of them. Pure.
 */

export type CalendarEventKind = KeyEventKind | "reminder";

/** Every kind, in the order filters and legends list them. */
export const EVENT_KINDS = [
  "rotation",
  "expiry",
  "reminder",
] as const satisfies readonly CalendarEventKind[];

export interface CalendarKey extends KeyTimeline {
  owner: string | null;
}

export interface CalendarEvent {
  /** Stable across requests: the key, the kind, the time and, for reminders, the days before. */
  id: string;
  kind: CalendarEventKind;
  at: number;
  hsm: string;
  name: string;
  owner: string | null;
  title: string;
  /** For reminders: the event they announce. */
  about?: { kind: KeyEventKind; at: number; daysBefore: number };
  /** For rotations: when the new version expires. */
  newVersionExpiresAt?: number | null;
}

const DAY_MS = 86_400_000;

const VERBS: Record<KeyEventKind, string> = { rotation: "rotates", expiry: "expires" };

/** What happens to the key, as the title words it after the key's name: "expires in 7 days". */
export function eventAction(event: Pick<CalendarEvent, "kind" | "about">): string {
  if (event.kind !== "reminder") return VERBS[event.kind];
  if (!event.about) return "has a reminder";
  return `${VERBS[event.about.kind]} in ${count(event.about.daysBefore, "day")}`;
}

export function calendarEvents(
  keys: readonly CalendarKey[],
  window: { from: number; to: number },
  reminderDays: readonly number[],
  kinds?: ReadonlySet<CalendarEventKind>,
): CalendarEvent[] {
  const lead = Math.max(0, ...reminderDays) * DAY_MS;
  const events: CalendarEvent[] = [];
  for (const key of keys)
    for (const event of keyEvents(key, { from: window.from, to: window.to + lead })) {
      const base = { hsm: key.hsm, name: key.name, owner: key.owner };
      if (event.at < window.to)
        events.push({
          ...base,
          id: `${key.hsm}/${key.name}/${event.kind}/${event.at}`,
          kind: event.kind,
          at: event.at,
          title: `${key.name} ${eventAction(event)}`,
          ...(event.kind === "rotation"
            ? { newVersionExpiresAt: event.newVersionExpiresAt ?? null }
            : {}),
        });
      for (const days of reminderDays) {
        const at = event.at - days * DAY_MS;
        if (at < window.from || at >= window.to) continue;
        const about = { kind: event.kind, at: event.at, daysBefore: days };
        events.push({
          ...base,
          id: `${key.hsm}/${key.name}/${event.kind}/${event.at}/${days}d`,
          kind: "reminder",
          at,
          title: `${key.name} ${eventAction({ kind: "reminder", about })}`,
          about,
        });
      }
    }
  return events
    .filter((event) => !kinds || kinds.has(event.kind))
    .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
}
