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
import { isPostgres, type Db } from "@/lib/db/client";
import type { RotationPolicyInfo } from "@/lib/hsm/types";
import { liveKeys, scheduleFingerprint, scheduleGeneration } from "@/lib/inventory/keys";
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

/*
 * Every calendar view needs all the keys one may see: over 10,000 keys, reading their dates and
 * policies is a third of the view's time, and holds the process for it. So each process keeps
 * that schedule, with the version it was read at, and uses it again while a one-row read says
 * the version is unchanged:
 * - SQLite: the schedule generation, which triggers move on, in the writing transaction of any
 *   process, whenever a key appears, goes or changes its name, dates or policy. It is read before
 *   the keys: a change committed in between makes the kept schedule newer than its generation
 *   says, never older.
 * - PostgreSQL: a fingerprint of those columns that the database computes (no triggers there;
 *   migration 0022 says why). A fingerprint can come back to a value it had, so it is read in
 *   the same repeatable-read snapshot as the keys it vouches for.
 * The schedule is frozen, as requests share it.
 *
 * Owners change more often (tagging a key with its owner is a routine request) and decide who
 * sees a key, so they are read on every view, with the visibility applied by the database as
 * everywhere else: a requester's view is the kept keys that this read returns.
 */

interface ScheduledKey {
  /** hsm and lower-case name: how the owners' read names the key. */
  id: string;
  key: Omit<CalendarKey, "owner">;
}

/** The schedule as read, and the version it is: exactly for PostgreSQL, at most for SQLite. */
interface Snapshot {
  version: string;
  keys: readonly ScheduledKey[];
}

/** A read of the schedule, kept while under way too, and the version its view found. */
interface KeptRead {
  found: string;
  read: Promise<Snapshot>;
  /** The read's result once it has one. */
  done?: Snapshot;
}

/**
 * Per database handle (one in the portal, one per test database in the tests), the last read:
 * the views that miss at once after a change share one read, rather than each parsing every key
 * and holding a pooled connection for it.
 */
const keptByDb = new WeakMap<Db, KeptRead>();

const keyId = (hsm: string, nameLower: string) => `${hsm}/${nameLower}`;

export async function calendarKeys(
  db: Db,
  visibility: Visibility,
  filters: Pick<CalendarFilters, "hsm" | "owner">,
): Promise<CalendarKey[]> {
  const [schedule, owners] = await Promise.all([
    keptSchedule(db),
    ownersOf(db, visibility, filters),
  ]);
  const everyKey = visibility.all && !filters.owner;
  const keys: CalendarKey[] = [];
  for (const { id, key } of schedule) {
    if (filters.hsm && key.hsm !== filters.hsm) continue;
    const owner = owners.get(id) ?? null;
    if (everyKey || owner !== null) keys.push({ ...key, owner });
  }
  return keys;
}

async function keptSchedule(db: Db): Promise<readonly ScheduledKey[]> {
  const postgres = isPostgres(db);
  const version = postgres ? await scheduleFingerprint(db) : String(await scheduleGeneration(db));
  // A kept read serves only the version this view found; any other, newer or (after a restore,
  // or a change undone on PostgreSQL) older, is replaced.
  const kept = keptByDb.get(db);
  const fromKept = await keysOf(kept, version);
  if (fromKept) return fromKept;
  const latest = keptByDb.get(db);
  if (latest !== kept) {
    const fromLatest = await keysOf(latest, version);
    if (fromLatest) return fromLatest;
  }
  const entry: KeptRead = {
    found: version,
    read: postgres ? readSnapshotPostgres(db) : readSnapshotSqlite(db, version),
  };
  keptByDb.set(db, entry);
  entry.read.then(
    (snapshot) => {
      entry.done = snapshot;
    },
    () => {
      if (keptByDb.get(db) === entry) keptByDb.delete(db);
    },
  );
  // This view's own read began after its version check: newer keys than it found are fine.
  return (await entry.read).keys;
}

/**
 * The kept keys if they are of this version. A read under way is waited for only if its view
 * found this version too: one begun at another version cannot serve this view, and may be slow.
 * (Begun before this view's check, its keys are taken for that exact version only.)
 */
async function keysOf(
  entry: KeptRead | undefined,
  version: string,
): Promise<readonly ScheduledKey[] | undefined> {
  if (!entry) return undefined;
  if (entry.done) return entry.done.version === version ? entry.done.keys : undefined;
  if (entry.found !== version) return undefined;
  const snapshot = await entry.read.catch(() => undefined);
  return snapshot?.version === version ? snapshot.keys : undefined;
}

/**
 * The fingerprint and the keys in one repeatable-read snapshot: a fingerprint can come back to
 * a value it had (a change undone), so only the keys read with it are what it vouches for.
 */
function readSnapshotPostgres(db: Db): Promise<Snapshot> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (trx) => ({
      version: await scheduleFingerprint(trx),
      keys: await readSchedule(trx),
    }));
}

/** The generation only moves on, and was read first: the keys are that version or newer. */
async function readSnapshotSqlite(db: Db, generation: string): Promise<Snapshot> {
  return { version: generation, keys: await readSchedule(db) };
}

async function readSchedule(db: Db): Promise<readonly ScheduledKey[]> {
  const rows = await liveKeys(db, { all: true })
    .select(["hsm", "name", "name_lower", "created_at", "expires_at", "policy"])
    .orderBy("hsm")
    .orderBy("name_lower")
    .execute();
  return Object.freeze(
    rows.map((row) =>
      Object.freeze({
        id: keyId(row.hsm, row.name_lower),
        key: Object.freeze({
          hsm: row.hsm,
          name: row.name,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          policy: row.policy ? frozenPolicy(JSON.parse(row.policy) as RotationPolicyInfo) : null,
        }),
      }),
    ),
  );
}

/** The owner of each key that has one, among the keys the viewer may see and the filter names. */
async function ownersOf(
  db: Db,
  visibility: Visibility,
  filters: Pick<CalendarFilters, "hsm" | "owner">,
): Promise<Map<string, string>> {
  let query = liveKeys(db, visibility)
    .select(["hsm", "name_lower", "owner"])
    .where("owner", "is not", null);
  if (filters.hsm) query = query.where("hsm", "=", filters.hsm);
  if (filters.owner) query = query.where("owner", "=", filters.owner.toLowerCase());
  const rows = await query.execute();
  return new Map(rows.map((row) => [keyId(row.hsm, row.name_lower), row.owner!]));
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

/** Each key's findings in key order, one at a time: a panel keeps only those it shows. */
export function* healthRows(keys: readonly CalendarKey[], now: number): Generator<KeyHealthRow> {
  for (const key of keys)
    for (const finding of keyHealth(key, now)) yield { hsm: key.hsm, name: key.name, finding };
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
