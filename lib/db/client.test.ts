import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import { migrateToLatest } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

describe.each(availableDialects())("database client on %s", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it("migrates a new database, and a second run finds nothing to do", async () => {
    database = await createTestDatabase(dialect);
    const db = database.open();
    expect(await migrateToLatest(db)).toEqual([
      "0001-leases",
      "0002-sessions",
      "0003-inventory",
      "0004-directory-sod",
      "0005-calendar",
      "0006-live-family-expiry",
    ]);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it("lets two instances migrate the same database at the same time", async () => {
    database = await createTestDatabase(dialect);
    const results = await Promise.all([
      migrateToLatest(database.open()),
      migrateToLatest(database.open()),
    ]);
    expect(results.flat()).toEqual([
      "0001-leases",
      "0002-sessions",
      "0003-inventory",
      "0004-directory-sod",
      "0005-calendar",
      "0006-live-family-expiry",
    ]);
  });

  it("reads epoch-millisecond bigints and counts back as numbers", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    const at = Date.UTC(2030, 0, 1, 12, 0, 0, 123);
    await db
      .insertInto("lease")
      .values({ name: "n", holder: "h", acquired_at: at, expires_at: at })
      .execute();
    const row = await db
      .selectFrom("lease")
      .select(["acquired_at", sql<number>`count(*)`.as("count")])
      .groupBy("acquired_at")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ acquired_at: at, count: 1 });
  });
});
