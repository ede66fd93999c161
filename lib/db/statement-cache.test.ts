import SQLite from "better-sqlite3";
import { Kysely, sql, SqliteDialect } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import { withStatementCache } from "@/lib/db/statement-cache";

const opened: SQLite.Database[] = [];

function database(): SQLite.Database {
  const db = new SQLite(":memory:");
  db.exec("create table t (n integer)");
  db.prepare("insert into t (n) values (1), (2), (3)").run();
  opened.push(db);
  return db;
}

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

describe("withStatementCache", () => {
  it("hands back the statement it compiled for the same SQL", () => {
    const cached = withStatementCache(database());
    const first = cached.prepare("select n from t where n = ?");
    expect(cached.prepare("select n from t where n = ?")).toBe(first);
    expect(cached.prepare("select n from t where n > ?")).not.toBe(first);
  });

  it("gives a busy statement's second caller a statement of its own", () => {
    const cached = withStatementCache(database());
    const first = cached.prepare("select n from t order by n");
    const outer = first.iterate([]);
    const seen: unknown[] = [];
    for (const row of outer) {
      const inner = cached.prepare("select n from t order by n");
      expect(inner).not.toBe(first);
      seen.push(row, inner.all([]).length);
    }
    expect(seen).toEqual([{ n: 1 }, 3, { n: 2 }, 3, { n: 3 }, 3]);
    expect(cached.prepare("select n from t order by n")).toBe(first);
  });

  it("keeps at most `size` statements, dropping the least recently used", () => {
    const cached = withStatementCache(database(), 2);
    const a = cached.prepare("select 1");
    const b = cached.prepare("select 2");
    expect(cached.prepare("select 1")).toBe(a);
    cached.prepare("select 3");
    expect(cached.prepare("select 1")).toBe(a);
    expect(cached.prepare("select 2")).not.toBe(b);
  });

  it("serves Kysely's reads, writes and streams with the same answers", async () => {
    const raw = database();
    const db = new Kysely<{ t: { n: number } }>({
      dialect: new SqliteDialect({ database: withStatementCache(raw) }),
    });
    for (let i = 0; i < 3; i++)
      await db
        .insertInto("t")
        .values({ n: 10 + i })
        .execute();
    const query = db.selectFrom("t").select("n").orderBy("n");
    const streamed: number[] = [];
    for await (const row of query.stream()) streamed.push(row.n);
    expect(streamed).toEqual([1, 2, 3, 10, 11, 12]);
    // The same SQL once the stream has ended: the cached statement, no longer busy.
    expect((await query.execute()).map((row) => row.n)).toEqual(streamed);
    const { rows } = await sql<{ total: number }>`select sum(n) as total from t`.execute(db);
    expect(rows[0]?.total).toBe(39);
    await db.destroy();
    expect(raw.open).toBe(false);
  });
});
