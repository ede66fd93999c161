import type SQLite from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/*
 * Kysely's SQLite driver prepares every query afresh: better-sqlite3 compiles the SQL each time,
 * which profiling put at about a tenth of a cheap request's CPU (the session lookup, a health
 * ping). The portal sends the same few hundred statement texts over and over, so each compiled
 * statement is kept, the least recently used dropped past `size`. A statement still being
 * iterated (a streamed export) is busy; a second caller of the same SQL meanwhile gets one of
 * its own, so two streams never share a cursor.
 */

const DEFAULT_SIZE = 500;

export function withStatementCache(database: SQLite.Database, size = DEFAULT_SIZE): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const cached = statements.get(sql);
      if (cached?.busy) return database.prepare(sql);
      if (cached) {
        // Re-inserting moves it to the end: the Map's order is the recency order.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
