import { z } from "zod";

import { AUDIT_OUTCOMES } from "@/lib/audit/types";
import { optionalParam, readSearchParams, type SearchParams } from "@/lib/validation/search-params";

/*
 * The audit log's filters as they appear in the URL, parsed once for the page, the JSON API and
 * the export, and the pure pieces of their translation to SQL (LIKE patterns, action prefixes,
 * time bounds). Pure: no database, no clock.
 */

export const PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;

const text = (max: number) =>
  optionalParam(
    z
      .string()
      .trim()
      .max(max, `must be at most ${max} characters`)
      .transform((value) => (value === "" ? undefined : value)),
  );

/** `sod`, `sod.rule`, `sod.rule.update` or a prefix ending in a dot, `sod.`. */
const ACTION_FILTER = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*\.?$/;

/** A date (`2026-12-01`, the whole UTC day) or a date and time (`2026-12-01T09:30`, `…Z`). */
const DATE_OR_DATETIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/* One check, not a pattern and a refinement: a bad value gets one error, not two. */
const instant = optionalParam(
  z
    .string()
    .trim()
    .refine(
      (value) => !Number.isNaN(parseInstant(value)),
      "must be a real ISO date (2026-12-01) or date and time (2026-12-01T09:30Z)",
    ),
);

const cursor = optionalParam(
  z.coerce
    .number({ message: "must be an event number" })
    .int("must be a whole event number")
    .min(0, "must be 0 or more")
    .max(Number.MAX_SAFE_INTEGER, "is too large"),
);

export const auditFiltersSchema = z.object({
  /** An actor's id (exactly: that actor's events alone) or else any part of a name or id. */
  actor: text(200),
  action: optionalParam(
    z
      .string()
      .trim()
      .toLowerCase()
      .max(100, "must be at most 100 characters")
      .regex(ACTION_FILTER, "must be an action such as sod.rule.update, or a prefix such as sod."),
  ),
  /** Text contained in the target. */
  target: text(200),
  outcome: optionalParam(z.enum(AUDIT_OUTCOMES)),
  from: instant,
  to: instant,
  /** Any text of the event: actor, action, target, detail, request id. */
  q: text(200),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** Where a page of the log starts: a keyset cursor (a seq) and how many events. */
export const auditCursorSchema = z.object({
  /** Events older than this seq (the `next` cursor of the page before). */
  before: cursor,
  /** Events newer than this seq (the `newer` cursor: paging back towards the newest). */
  after: cursor,
  limit: optionalParam(
    z.coerce
      .number({ message: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`),
  ),
});

/** A page of the log: the filters and a cursor. */
export const auditPageSchema = auditFiltersSchema
  .extend(auditCursorSchema.shape)
  .refine((page) => page.before === undefined || page.after === undefined, {
    message: "give before or after, not both",
    path: ["after"],
  });
export type AuditPageQuery = z.infer<typeof auditPageSchema>;

/** A page's search params, forgiving: invalid values are dropped, `before` wins over `after`. */
export function readAuditPage(params: SearchParams): AuditPageQuery {
  const filters = readSearchParams(auditFiltersSchema, params);
  const { before, after, limit } = readSearchParams(auditCursorSchema, params);
  return { ...filters, before, after: before === undefined ? after : undefined, limit };
}

export const auditExportSchema = auditFiltersSchema.extend({
  format: z.enum(["csv", "jsonl"], { message: 'must be "csv" or "jsonl"' }).default("csv"),
});
export type AuditExportQuery = z.infer<typeof auditExportSchema>;

/**
 * An ISO date or date-time as epoch ms, read as UTC when it names no offset (the portal shows
 * UTC everywhere; the browser's zone is never guessed). NaN when it is not a real date.
 */
export function parseInstant(value: string): number {
  if (!DATE_OR_DATETIME.test(value)) return NaN;
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2})/.exec(value)!;
  // Date.parse rolls 2026-02-30 over to 2 March: the calendar date must exist as written.
  const midnight = Date.UTC(Number(year), Number(month) - 1, Number(day));
  if (new Date(midnight).toISOString().slice(0, 10) !== value.slice(0, 10)) return NaN;
  if (value.length === 10) return midnight;
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
}

/**
 * The half-open time range [from, to) in epoch ms. `to` given as a bare date includes that
 * whole day, as a reader of "to 1 Dec" means; a date-time is the exact end.
 */
export function timeRange(filters: Pick<AuditFilters, "from" | "to">): {
  from?: number;
  to?: number;
} {
  const range: { from?: number; to?: number } = {};
  if (filters.from) range.from = parseInstant(filters.from);
  if (filters.to) {
    const end = parseInstant(filters.to);
    range.to = /^\d{4}-\d{2}-\d{2}$/.test(filters.to) ? end + 86_400_000 : end;
  }
  return range;
}

/** A LIKE pattern matching `text` anywhere, with `\` as the escape for %, _ and itself. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Which of the known actions an action filter selects: `sod.` every action under `sod`,
 * `sod.rule` that action itself and every action under it, never `sod.rules.x`.
 */
export function actionsMatching(filter: string, known: readonly string[]): string[] {
  const prefix = filter.endsWith(".") ? filter : `${filter}.`;
  return known.filter((action) => action === filter || action.startsWith(prefix));
}
