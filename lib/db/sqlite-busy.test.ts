import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { CompiledQuery, sql, type DatabaseConnection } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import { createDb, type Db } from "@/lib/db/client";
import { busyDelayMs, isBusyError, retryingWhileBusy, type BusyRetry } from "@/lib/db/sqlite-busy";
import { AppError } from "@/lib/errors";

const RETRY: BusyRetry = { deadlineMs: 5_000, firstDelayMs: 1, maxDelayMs: 20 };

function sqliteError(code: string): Error {
  return Object.assign(new Error(`database is locked (${code})`), { code });
}

describe("busyDelayMs", () => {
  it.each([
    { attempt: 0, remaining: 5_000, delay: 1 },
    { attempt: 1, remaining: 5_000, delay: 2 },
    { attempt: 4, remaining: 5_000, delay: 16 },
    { attempt: 5, remaining: 5_000, delay: 20 },
    { attempt: 40, remaining: 5_000, delay: 20 },
    { attempt: 5, remaining: 7, delay: 7 },
    { attempt: 3, remaining: -1, delay: 0 },
  ])(
    "attempt $attempt with $remaining ms left waits $delay ms",
    ({ attempt, remaining, delay }) => {
      expect(busyDelayMs(RETRY, attempt, remaining)).toBe(delay);
    },
  );
});

describe("isBusyError", () => {
  it.each([
    { code: "SQLITE_BUSY", busy: true },
    { code: "SQLITE_BUSY_RECOVERY", busy: true },
    { code: "SQLITE_BUSY_TIMEOUT", busy: true },
    { code: "SQLITE_BUSY_SNAPSHOT", busy: false },
    { code: "SQLITE_CONSTRAINT_UNIQUE", busy: false },
    { code: "SQLITE_LOCKED", busy: false },
  ])("$code: $busy", ({ code, busy }) => {
    expect(isBusyError(sqliteError(code))).toBe(busy);
  });

  it("is false for what is not an Error", () => {
    expect(isBusyError({ code: "SQLITE_BUSY" })).toBe(false);
    expect(isBusyError(undefined)).toBe(false);
  });
});

/** A connection that answers from a script: each entry is thrown or returned in turn. */
function scriptedConnection(script: (Error | "ok")[]): DatabaseConnection & { calls: number } {
  const connection = {
    calls: 0,
    executeQuery() {
      const next = script[Math.min(connection.calls++, script.length - 1)];
      return next === "ok" ? Promise.resolve({ rows: [] }) : Promise.reject(next!);
    },
    streamQuery() {
      throw new Error("not used");
    },
  };
  return connection as DatabaseConnection & { calls: number };
}

describe("retryingWhileBusy", () => {
  const query = CompiledQuery.raw("insert into t values (1)");

  it("tries a refused statement again until it goes through", async () => {
    const busy = sqliteError("SQLITE_BUSY");
    const connection = scriptedConnection([busy, busy, busy, "ok"]);
    await expect(retryingWhileBusy(connection, RETRY).executeQuery(query)).resolves.toEqual({
      rows: [],
    });
    expect(connection.calls).toBe(4);
  });

  it("answers 503, nothing written, once the deadline has passed", async () => {
    const busy = sqliteError("SQLITE_BUSY");
    const connection = scriptedConnection([busy]);
    const started = Date.now();
    const refusal = retryingWhileBusy(connection, { ...RETRY, deadlineMs: 60 }).executeQuery(query);
    await expect(refusal).rejects.toBeInstanceOf(AppError);
    await expect(refusal).rejects.toMatchObject({
      code: "unavailable",
      status: 503,
      retryAfterSeconds: 1,
      cause: busy,
      message: expect.stringContaining("nothing was written") as unknown,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(connection.calls).toBeGreaterThan(3);
  });

  it("does not try other errors again", async () => {
    const connection = scriptedConnection([sqliteError("SQLITE_CONSTRAINT_UNIQUE"), "ok"]);
    await expect(retryingWhileBusy(connection, RETRY).executeQuery(query)).rejects.toMatchObject({
      code: "SQLITE_CONSTRAINT_UNIQUE",
    });
    expect(connection.calls).toBe(1);
  });
});

describe("the portal's SQLite client while another process holds the write lock", () => {
  let dir: string | undefined;
  let db: Db | undefined;
  let other: SQLite.Database | undefined;
  afterEach(async () => {
    other?.close();
    await db?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    other = db = dir = undefined;
  });

  it("waits without stopping its event loop, then writes", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-busy-"));
    const file = path.join(dir, "keyward.db");
    db = createDb({ kind: "sqlite", file });
    await sql`create table t (n integer)`.execute(db);
    other = new SQLite(file);
    other.prepare("begin immediate").run();
    other.prepare("insert into t values (1)").run();

    // The other connection commits on a timer of this process: with SQLite's own busy wait the
    // insert below would hold the event loop, the timer could not fire and the insert would fail.
    // What is asserted is the order (the commit ran on this loop while the insert waited), not a
    // count of ticks: on a starved machine one late timer phase can fire both timers at once.
    const events: string[] = [];
    const held = other;
    const release = setTimeout(() => {
      events.push("other committed");
      held.prepare("commit").run();
    }, 150);
    try {
      await db.transaction().execute((trx) => sql`insert into t values (2)`.execute(trx));
      events.push("insert done");
    } finally {
      clearTimeout(release);
    }
    expect(events).toEqual(["other committed", "insert done"]);
    const rows = await sql<{ n: number }>`select n from t order by n`.execute(db);
    expect(rows.rows.map((row) => row.n)).toEqual([1, 2]);
  });
});
