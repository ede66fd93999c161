import "server-only";

import { sql, type Expression, type SqlBool } from "kysely";

import { containsPattern } from "@/lib/audit/filters";
import { isPostgres, type Db } from "@/lib/db/client";

/*
 * The audit log's substring index (migration 0009): a pre-filter that narrows a text filter to
 * the events whose text contains it, before the exact per-column test. It needs three or more
 * characters (trigrams); shorter texts are left to the per-column test alone, which finds them
 * fast anyway, as short texts match many events.
 */

const MIN_INDEXED_LENGTH = 3;

/** An FTS5 phrase: the text in double quotes, inner quotes doubled. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export function searchIndexFilter(db: Db, text: string): Expression<SqlBool> | null {
  if ([...text].length < MIN_INDEXED_LENGTH) return null;
  if (isPostgres(db))
    return sql<SqlBool>`lower(actor || chr(10) || action || chr(10) || target || chr(10) || detail || chr(10) || coalesce(request_id, '')) like lower(${containsPattern(text)}) escape '\\'`;
  return sql<SqlBool>`seq in (select rowid from audit_search where audit_search match ${ftsPhrase(text)})`;
}
