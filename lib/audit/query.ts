import "server-only";

import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";

import {
  actionsMatching,
  containsPattern,
  PAGE_SIZE,
  timeRange,
  type AuditFilters,
  type AuditPageQuery,
} from "@/lib/audit/filters";
import { fromRow } from "@/lib/audit/record";
import { searchIndexFilter } from "@/lib/audit/search";
import type { AuditEvent } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import type { Database } from "@/lib/db/schema";

/*
 * Reading the audit log, newest first, a keyset page at a time: `seq < cursor order by seq desc
 * limit n + 1`, never OFFSET, so that page 20,000 costs what page 1 costs and an event appended
 * while someone pages never shifts or repeats a row. The same Kysely code runs on SQLite and
 * PostgreSQL: text search lower()s both sides (PostgreSQL's LIKE is case-sensitive, SQLite's is
 * not), and action prefixes become an IN list of known actions, which both use the
 * (action, seq) index whatever the database's collation.
 */

type Eb = ExpressionBuilder<Database, "audit_event">;
const TEXT_COLUMNS = ["actor", "action", "target", "detail", "request_id"] as const;

function contains(column: (typeof TEXT_COLUMNS)[number], text: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(coalesce(${sql.ref(column)}, '')) like lower(${containsPattern(text)}) escape '\\'`;
}

/**
 * Every distinct action, read by skipping through the (action, seq) index one action at a time
 * (a loose index scan): as many index seeks as there are actions, however long the log is.
 */
export async function knownActions(db: Db): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`
    with recursive actions(action) as (
      select min(action) from audit_event
      union all
      select (select min(e.action) from audit_event e where e.action > actions.action)
      from actions where actions.action is not null
    )
    select action from actions where action is not null`.execute(db);
  return rows.map((row) => row.action);
}

interface SeqRange {
  first?: number;
  last?: number;
}

/**
 * The events of a time range as a range of seq: time never runs backwards along the chain
 * (record.ts), so the first event at or after `from` and the last before `to` bound it, each
 * found by one seek in the (at, seq) index. Paging then walks seq within those bounds, however
 * many events the range holds. An empty range gives bounds that select nothing.
 */
async function seqRangeOf(db: Db, { from, to }: { from?: number; to?: number }): Promise<SeqRange> {
  const range: SeqRange = {};
  if (from !== undefined) {
    const first = await db
      .selectFrom("audit_event")
      .select("seq")
      .where("at", ">=", from)
      .orderBy("at")
      .orderBy("seq")
      .limit(1)
      .executeTakeFirst();
    range.first = first?.seq ?? Number.MAX_SAFE_INTEGER;
  }
  if (to !== undefined) {
    const last = await db
      .selectFrom("audit_event")
      .select("seq")
      .where("at", "<", to)
      .orderBy("at", "desc")
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    range.last = last?.seq ?? 0;
  }
  return range;
}

/**
 * Whether an actor filter is the exact id of an actor in the log (one seek in the (actor_id, seq)
 * index). Such a filter selects that actor's events alone, read through the same index: an id is
 * what "show me everything this person did" is asked with, and it is never part of a name.
 */
async function isKnownActorId(db: Db, actor: string | undefined): Promise<boolean> {
  if (!actor) return false;
  const row = await db
    .selectFrom("audit_event")
    .select("seq")
    .where("actor_id", "=", actor)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** What a reader knows before it reads: the known actions and how the actor filter applies. */
interface Resolved {
  actions: readonly string[];
  actorIsId: boolean;
  seqRange: SeqRange;
}

/**
 * The where-clause of a filter; `actions` are the known actions, needed for `action` only. With
 * `indexed`, every text filter is also narrowed through the substring index (see reader).
 */
function matches(
  db: Db,
  eb: Eb,
  filters: AuditFilters,
  { actions, actorIsId, seqRange }: Resolved,
  indexed: boolean,
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (indexed)
    for (const text of [actorIsId ? undefined : filters.actor, filters.target, filters.q]) {
      const narrowed = text ? searchIndexFilter(db, text) : null;
      if (narrowed) conditions.push(narrowed);
    }
  if (filters.actor)
    conditions.push(
      actorIsId ? eb("actor_id", "=", filters.actor) : contains("actor", filters.actor),
    );
  if (filters.action) {
    const selected = actionsMatching(filters.action, actions);
    conditions.push(selected.length > 0 ? eb("action", "in", selected) : sql<SqlBool>`1 = 0`);
  }
  if (filters.target) conditions.push(contains("target", filters.target));
  if (filters.outcome) conditions.push(eb("outcome", "=", filters.outcome));
  const { from, to } = timeRange(filters);
  if (from !== undefined) conditions.push(eb("at", ">=", from));
  if (to !== undefined) conditions.push(eb("at", "<", to));
  if (seqRange.first !== undefined) conditions.push(eb("seq", ">=", seqRange.first));
  if (seqRange.last !== undefined) conditions.push(eb("seq", "<=", seqRange.last));
  if (filters.q) {
    const q = filters.q;
    conditions.push(eb.or(TEXT_COLUMNS.map((column) => contains(column, q))));
  }
  return eb.and(conditions);
}

/**
 * How many events next to the cursor a text filter reads directly before it turns to the
 * substring index. A text that many events contain fills a page within them, and reading the
 * index would cost more (it lists every match); a rare text does not, and the index finds the
 * rest without reading the log.
 */
export const DIRECT_WINDOW = 2_000;

/** How a reader reads; tests shrink the direct window to cross it with a few events. */
export interface ReadingOptions {
  directWindow?: number;
}

/** A reusable reader of one filter: the known actions are read once, if the filter needs them. */
async function reader(
  db: Db,
  filters: AuditFilters,
  { directWindow = DIRECT_WINDOW }: ReadingOptions = {},
) {
  const [actions, actorIsId, seqRange] = await Promise.all([
    filters.action ? knownActions(db) : [],
    isKnownActorId(db, filters.actor),
    seqRangeOf(db, timeRange(filters)),
  ]);
  const resolved = { actions, actorIsId, seqRange };
  const hasText = Boolean((filters.actor && !actorIsId) || filters.target || filters.q);
  const where = (indexed: boolean) => (eb: Eb) => matches(db, eb, filters, resolved, indexed);
  const select = (indexed: boolean, direction: "asc" | "desc", limit: number) =>
    db
      .selectFrom("audit_event")
      .selectAll()
      .where(where(indexed))
      .orderBy("seq", direction)
      .limit(limit);
  const head = async () =>
    (await db.selectFrom("audit_head").select("seq").executeTakeFirst())?.seq ?? 0;
  return {
    /** Up to `limit` matching events older than `before`, newest first. */
    older: async (before: number | undefined, limit: number) => {
      if (!hasText) {
        const rows = await select(false, "desc", limit)
          .$if(before !== undefined, (q) => q.where("seq", "<", before!))
          .execute();
        return rows.map(fromRow);
      }
      const upper = before ?? (await head()) + 1;
      const lower = upper - directWindow;
      const near = await select(false, "desc", limit)
        .where("seq", "<", upper)
        .where("seq", ">=", lower)
        .execute();
      if (near.length === limit || lower <= 1) return near.map(fromRow);
      const far = await select(true, "desc", limit - near.length)
        .where("seq", "<", lower)
        .execute();
      return [...near, ...far].map(fromRow);
    },
    /** Up to `limit` matching events newer than `after`, oldest first. */
    newer: async (after: number, limit: number) => {
      if (!hasText) {
        const rows = await select(false, "asc", limit).where("seq", ">", after).execute();
        return rows.map(fromRow);
      }
      const upper = after + directWindow;
      const near = await select(false, "asc", limit)
        .where("seq", ">", after)
        .where("seq", "<=", upper)
        .execute();
      if (near.length === limit || upper >= (await head())) return near.map(fromRow);
      const far = await select(true, "asc", limit - near.length)
        .where("seq", ">", upper)
        .execute();
      return [...near, ...far].map(fromRow);
    },
  };
}

export interface AuditPage {
  /** Newest first. */
  events: AuditEvent[];
  /** The `before` cursor of the next (older) page, or null at the oldest. */
  next: string | null;
  /** The `after` cursor of the previous (newer) page, or null at the newest. */
  newer: string | null;
}

/** One page of the events matching a filter, before or after a cursor (or the newest). */
export async function findAuditPage(
  db: Db,
  query: AuditPageQuery,
  reading: ReadingOptions = {},
): Promise<AuditPage> {
  const limit = query.limit ?? PAGE_SIZE;
  const read = await reader(db, query, reading);
  if (query.after !== undefined) {
    const rows = await read.newer(query.after, limit + 1);
    const events = rows.slice(0, limit).reverse();
    const oldest = events.at(-1)?.seq ?? query.after + 1;
    const older = await read.older(oldest, 1);
    return {
      events,
      next: older.length > 0 ? String(oldest) : null,
      newer: rows.length > limit ? String(events[0]!.seq) : null,
    };
  }
  const rows = await read.older(query.before, limit + 1);
  const events = rows.slice(0, limit);
  let newer: string | null = null;
  if (query.before !== undefined) {
    // Anything newer than this page: the events at or after the cursor.
    const after = (events[0]?.seq ?? query.before) - (events.length > 0 ? 0 : 1);
    if ((await read.newer(after, 1)).length > 0) newer = String(after);
  }
  return { events, next: rows.length > limit ? String(events.at(-1)!.seq) : null, newer };
}

/**
 * Every event matching a filter, newest first, read in keyset batches: an export of a million
 * events holds one batch in memory at a time and no transaction or cursor open between them.
 */
export async function* auditEventsMatching(
  db: Db,
  filters: AuditFilters,
  batch = 1_000,
  reading: ReadingOptions = {},
): AsyncGenerator<AuditEvent, void> {
  const read = await reader(db, filters, reading);
  let before: number | undefined;
  for (;;) {
    const events = await read.older(before, batch);
    yield* events;
    if (events.length < batch) return;
    before = events.at(-1)!.seq;
  }
}
