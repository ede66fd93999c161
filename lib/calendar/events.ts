import { count } from "@/lib/format/count";
import {
  keyEvents,
  type KeyEvent,
  type KeyEventKind,
  type KeyTimeline,
} from "@/lib/rotation/schedule";

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

/** The calendar's order: by time, then by key name as people read it (as localeCompare does). */
const byName = new Intl.Collator().compare;
const inOrder = (a: { at: number; name: string }, b: { at: number; name: string }) =>
  a.at - b.at || byName(a.name, b.name);

/** One event or reminder in the window, before it is worded as a CalendarEvent. */
interface Occurrence {
  key: CalendarKey;
  event: KeyEvent;
  /** null for the event itself, else the reminder's days before it. */
  daysBefore: number | null;
  at: number;
  name: string;
}

/**
 * Each rotation, expiry and reminder in the window, key by key, events before their reminders.
 * The kinds filter is applied before anything is built: a month holds tens of thousands.
 */
function forEachOccurrence(
  keys: readonly CalendarKey[],
  window: { from: number; to: number },
  reminderDays: readonly number[],
  kinds: ReadonlySet<CalendarEventKind> | undefined,
  visit: (key: CalendarKey, event: KeyEvent, daysBefore: number | null, at: number) => void,
): void {
  const reminders = !kinds || kinds.has("reminder");
  // Events past the window matter only for their reminders inside it.
  const lead = reminders ? Math.max(0, ...reminderDays) * DAY_MS : 0;
  for (const key of keys)
    for (const event of keyEvents(key, { from: window.from, to: window.to + lead })) {
      if (event.at < window.to && (!kinds || kinds.has(event.kind)))
        visit(key, event, null, event.at);
      if (!reminders) continue;
      for (const days of reminderDays) {
        const at = event.at - days * DAY_MS;
        if (at >= window.from && at < window.to) visit(key, event, days, at);
      }
    }
}

function toCalendarEvent({ key, event, daysBefore, at }: Occurrence): CalendarEvent {
  const base = { hsm: key.hsm, name: key.name, owner: key.owner };
  if (daysBefore === null)
    return {
      ...base,
      id: `${key.hsm}/${key.name}/${event.kind}/${event.at}`,
      kind: event.kind,
      at,
      title: `${key.name} ${eventAction(event)}`,
      ...(event.kind === "rotation"
        ? { newVersionExpiresAt: event.newVersionExpiresAt ?? null }
        : {}),
    };
  const about = { kind: event.kind, at: event.at, daysBefore };
  return {
    ...base,
    id: `${key.hsm}/${key.name}/${event.kind}/${event.at}/${daysBefore}d`,
    kind: "reminder",
    at,
    title: `${key.name} ${eventAction({ kind: "reminder", about })}`,
    about,
  };
}

/** Every event and reminder in the window, in time order (then by key name). */
export function calendarEvents(
  keys: readonly CalendarKey[],
  window: { from: number; to: number },
  reminderDays: readonly number[],
  kinds?: ReadonlySet<CalendarEventKind>,
): CalendarEvent[] {
  const events: CalendarEvent[] = [];
  forEachOccurrence(keys, window, reminderDays, kinds, (key, event, daysBefore, at) =>
    events.push(toCalendarEvent({ key, event, daysBefore, at, name: key.name })),
  );
  return events.sort(inOrder);
}

export interface CalendarDay {
  /** Every event of the day. */
  total: number;
  /** The day's first events in calendarEvents' order: all of them, or as many as were asked. */
  events: readonly CalendarEvent[];
}

export interface CalendarDays {
  /** By the day's UTC midnight; days without events are absent. */
  days: Map<number, CalendarDay>;
  /** Events of each kind in the window (0 for a kind filtered out). */
  counts: Record<CalendarEventKind, number>;
}

/**
 * The window's events grouped by UTC day, each day cut to its first `shownPerDay`: what a grid
 * shows, without wording the thousands of events it only counts. Equal to grouping
 * calendarEvents by day and cutting each list.
 */
export function calendarDays(
  keys: readonly CalendarKey[],
  window: { from: number; to: number },
  reminderDays: readonly number[],
  kinds?: ReadonlySet<CalendarEventKind>,
  shownPerDay = Number.POSITIVE_INFINITY,
): CalendarDays {
  const counts: Record<CalendarEventKind, number> = { rotation: 0, expiry: 0, reminder: 0 };
  const byDay = new Map<number, { total: number; first: Occurrence[] }>();
  forEachOccurrence(keys, window, reminderDays, kinds, (key, event, daysBefore, at) => {
    counts[daysBefore === null ? event.kind : "reminder"] += 1;
    const day = Math.floor(at / DAY_MS) * DAY_MS;
    let entry = byDay.get(day);
    if (!entry) byDay.set(day, (entry = { total: 0, first: [] }));
    entry.total += 1;
    const { first } = entry;
    const last = first[first.length - 1];
    // Most occurrences of a busy day come after its first few: they are counted, not kept.
    if (first.length >= shownPerDay && last && inOrder({ at, name: key.name }, last) >= 0) return;
    const occurrence = { key, event, daysBefore, at, name: key.name };
    if (shownPerDay === Number.POSITIVE_INFINITY) {
      first.push(occurrence);
      return;
    }
    // Insert after every equal occurrence, as a stable sort would leave it.
    let index = first.length;
    while (index > 0 && inOrder(occurrence, first[index - 1]!) < 0) index -= 1;
    first.splice(index, 0, occurrence);
    if (first.length > shownPerDay) first.pop();
  });
  const days = new Map<number, CalendarDay>();
  for (const [day, { total, first }] of byDay) {
    // Unbounded days were filled in key order; a stable sort keeps calendarEvents' order.
    if (shownPerDay === Number.POSITIVE_INFINITY) first.sort(inOrder);
    days.set(day, { total, events: first.map(toCalendarEvent) });
  }
  return { days, counts };
}
