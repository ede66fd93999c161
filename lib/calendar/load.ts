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
import { liveKeys } from "@/lib/inventory/keys";
import type { Visibility } from "@/lib/inventory/visibility";
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

export async function calendarKeys(
  db: Db,
  visibility: Visibility,
  filters: Pick<CalendarFilters, "hsm" | "owner">,
): Promise<CalendarKey[]> {
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
  return rows.map((row) => ({
    hsm: row.hsm,
    name: row.name,
    owner: row.owner,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    policy: row.policy ? (JSON.parse(row.policy) as RotationPolicyInfo) : null,
  }));
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
