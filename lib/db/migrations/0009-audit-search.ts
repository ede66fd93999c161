import { PostgresAdapter, sql, type Kysely } from "kysely";

/*
 * A substring index over the audit log's text, so that searching a million events for a request
 * id, a key or a name reads the index instead of every row. One "document" per event: actor,
 * action, target, detail and request id joined by newlines (a search text has no control
 * characters, so it never matches across two columns).
 * - SQLite: an FTS5 table with the trigram tokenizer (case-insensitive substrings of three or
 *   more characters), filled by a trigger on every append.
 * - PostgreSQL: a GIN trigram index (pg_trgm) on the same expression, which `LIKE '%…%'` uses.
 *   Where the extension cannot be created (a managed server that does not allow it), the index
 *   is left out: search still works, by reading the table.
 * The expression is repeated in lib/audit/search.ts; PostgreSQL uses the index only when the
 * query's expression is the same.
 */

const SQLITE_DOCUMENT = sql`new.actor || char(10) || new.action || char(10) || new.target || char(10) || new.detail || char(10) || coalesce(new.request_id, '')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{
      name: string;
    }>`select name from pg_available_extensions where name = 'pg_trgm'`.execute(db);
    if (rows.length === 0) return;
    await sql`savepoint audit_search`.execute(db);
    try {
      await sql`create extension if not exists pg_trgm`.execute(db);
    } catch {
      await sql`rollback to savepoint audit_search`.execute(db);
      return;
    }
    await sql`create index audit_event_search on audit_event using gin ((lower(actor || chr(10) || action || chr(10) || target || chr(10) || detail || chr(10) || coalesce(request_id, ''))) gin_trgm_ops)`.execute(
      db,
    );
    return;
  }
  await sql`create virtual table audit_search using fts5(document, content='', tokenize='trigram')`.execute(
    db,
  );
  await sql`create trigger audit_event_search after insert on audit_event begin
      insert into audit_search (rowid, document) values (new.seq, ${SQLITE_DOCUMENT});
    end`.execute(db);
  await sql`insert into audit_search (rowid, document)
      select seq, actor || char(10) || action || char(10) || target || char(10) || detail || char(10) || coalesce(request_id, '')
      from audit_event`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index if exists audit_event_search`.execute(db);
    return;
  }
  await sql`drop trigger if exists audit_event_search`.execute(db);
  await sql`drop table if exists audit_search`.execute(db);
}
