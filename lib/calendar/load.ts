import "server-only";

import { z } from "zod";

import {
  calendarDays,
  calendarEvents,
  EVENT_KINDS,
  type CalendarEvent,
  type CalendarKey,
} from "@/lib/calendar/events";
import { HEALTH_KINDS } from "@/lib/calendar/health";
import { CALENDAR_VIEWS } from "@/lib/calendar/range";
import type { Db } from "@/lib/db/client";
import type { RotationPolicyInfo } from "@/lib/hsm/types";
import { liveKeys, scheduleGeneration } from "@/lib/inventory/keys";
import { visibilityKey, type Visibility } from "@/lib/inventory/visibility";
import { keyHealth, type HealthFinding } from "@/lib/rotation/schedule";
import { guid, hsmName } from "@/lib/validation/primitives";
import { optionalParam } from "@/lib/validation/search-params";

/* The calendar's keys from the inventory mirror, for what the viewer may see. */

export const calendarFiltersSchema = z.object({
  view: optionalParam(z.enum(CALENDAR_VIEWS)),
  date: optionalParam(z.iso.date()),
  hsm: optionalParam(hsmName),
  owner: optionalParam(guid),
  kind: optionalParam(z.enum(EVENT_KINDS)),
});
export type CalendarFilters = z.infer<typeof calendarFiltersSchema>;

/** The page's parameters: the filters, and the rotation health kind listed in full. */
export const calendarPageSchema = calendarFiltersSchema.extend({
  health: optionalParam(z.enum(HEALTH_KINDS)),
});

/*
 * Every calendar view reads all the keys one may see (10,000 rows and their policies: a third of
 * the view's time). What was read is kept per visibility and filter, and used again while the
 * schedule generation is unchanged: triggers move it on, in the writing transaction of any
 * process, whenever a key appears, goes or changes what is read here. The generation is read
 * before the keys: a change committed in between makes the kept list newer than its generation
 * says, never older. The lists are frozen, as they are shared.
 */
const KEPT_LISTS = 16;
interface KeptLists {
  /** The generation every kept list was read at: a newer one makes them all stale. */
  generation: number;
  lists: Map<string, Promise<readonly CalendarKey[]>>;
}
/** Per database handle: one in the portal, one per test database in the tests. */
const keptByDb = new WeakMap<Db, KeptLists>();

export async function calendarKeys(
  db: Db,
  visibility: Visibility,
  filters: Pick<CalendarFilters, "hsm" | "owner">,
): Promise<readonly CalendarKey[]> {
  const generation = await scheduleGeneration(db);
  let kept = keptByDb.get(db);
  if (!kept || generation > kept.generation)
    keptByDb.set(db, (kept = { generation, lists: new Map() }));
  // A request that read an older generation than another one since: read, keep nothing.
  if (generation < kept.generation) return readCalendarKeys(db, visibility, filters);
  const { lists } = kept;
  const key = `${visibilityKey(visibility)}|${filters.hsm ?? ""}|${filters.owner?.toLowerCase() ?? ""}`;
  const keys = lists.get(key) ?? readCalendarKeys(db, visibility, filters);
  // Re-inserting keeps the Map in the order of last use; the oldest goes past the bound.
  lists.delete(key);
  lists.set(key, keys);
  if (lists.size > KEPT_LISTS) lists.delete(lists.keys().next().value!);
  keys.catch(() => {
    if (lists.get(key) === keys) lists.delete(key);
  });
  return keys;
}

async function readCalendarKeys(
  db: Db,
  visibility: Visibility,
  filters: Pick<CalendarFilters, "hsm" | "owner">,
): Promise<readonly CalendarKey[]> {
  let query = liveKeys(db, visibility).select([
    "hsm",
    "name",
    "created_at",
    "expires_at",
    "policy",
    "owner",
  ]);
  if (filters.hsm) query = query.where("hsm", "=", filters.hsm);
  if (filters.owner) query = query.where("owner", "=", filters.owner.toLowerCase());
  const rows = await query.orderBy("hsm").orderBy("name_lower").execute();
  return Object.freeze(
    rows.map((row) =>
      Object.freeze({
        hsm: row.hsm,
        name: row.name,
        owner: row.owner,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        policy: row.policy ? frozenPolicy(JSON.parse(row.policy) as RotationPolicyInfo) : null,
      }),
    ),
  );
}

function frozenPolicy(policy: RotationPolicyInfo): RotationPolicyInfo {
  for (const action of policy.lifetimeActions) Object.freeze(action);
  Object.freeze(policy.lifetimeActions);
  return Object.freeze(policy);
}

export interface KeyHealthRow {
  hsm: string;
  name: string;
  finding: HealthFinding;
}

export function healthRows(keys: readonly CalendarKey[], now: number): KeyHealthRow[] {
  return keys.flatMap((key) =>
    keyHealth(key, now).map((finding) => ({ hsm: key.hsm, name: key.name, finding })),
  );
}

export function eventsIn(
  keys: readonly CalendarKey[],
  window: { from: number; to: number },
  reminderDays: readonly number[],
  kind?: CalendarFilters["kind"],
): CalendarEvent[] {
  return calendarEvents(keys, window, reminderDays, kind ? new Set([kind]) : undefined);
}

/** The window's events by day, each day cut to `shownPerDay` (all by default): for the grids. */
export function daysIn(
  keys: readonly CalendarKey[],
  window: { from: number; to: number },
  reminderDays: readonly number[],
  kind?: CalendarFilters["kind"],
  shownPerDay?: number,
) {
  return calendarDays(keys, window, reminderDays, kind ? new Set([kind]) : undefined, shownPerDay);
}
