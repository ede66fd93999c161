import "server-only";

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";

import { createDb, migrateToLatest, type Db } from "@/lib/db/client";
import { readTestSettings, type DatabaseConfig } from "@/lib/env";

/*
 * Databases for tests of the database layer: a fresh SQLite file always, and a fresh schema in
 * the PostgreSQL database named by TEST_DATABASE_URL when it is set. Each test database can be
 * opened several times, as several portal instances would open one shared database.
 */

export interface TestDatabase {
  config: DatabaseConfig;
  /** A new, independent client (its own connection or pool) to the same database. */
  open: () => Db;
  /** A client with the schema migrated. */
  openMigrated: () => Promise<Db>;
  dispose: () => Promise<void>;
}

export type Dialect = "sqlite" | "postgres";

export function availableDialects(): Dialect[] {
  return readTestSettings().databaseUrl ? ["sqlite", "postgres"] : ["sqlite"];
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const opened: Db[] = [];
  const track = (db: Db) => (opened.push(db), db);
  const closeAll = () => Promise.all(opened.map((db) => db.destroy()));

  if (dialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-db-test-"));
    const config: DatabaseConfig = { kind: "sqlite", file: path.join(dir, "test.db") };
    return testDatabase(config, track, async () => {
      await closeAll();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  const baseUrl = readTestSettings().databaseUrl;
  if (!baseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const schema = `kw_test_${randomBytes(6).toString("hex")}`;
  const admin = createDb({ kind: "postgres", url: baseUrl });
  await sql`create schema ${sql.id(schema)}`.execute(admin);
  await sharedTrigramExtension(admin);
  const url = new URL(baseUrl);
  // The test's own schema first (its tables), then public for the shared pg_trgm operators.
  url.searchParams.set("options", `-c search_path=${schema},public`);
  const config: DatabaseConfig = { kind: "postgres", url: url.toString() };
  return testDatabase(config, track, async () => {
    await closeAll();
    await sql`drop schema ${sql.id(schema)} cascade`.execute(admin);
    await admin.destroy();
  });
}

/**
 * pg_trgm in public, once for every test schema: created by a migration inside one test's schema,
 * it would be invisible to the others and dropped with that schema while they still use it.
 * Test files start at once, so a concurrent creation may fail; it exists afterwards either way.
 */
async function sharedTrigramExtension(admin: Db): Promise<void> {
  const available = await sql<{
    name: string;
  }>`select name from pg_available_extensions where name = 'pg_trgm'`.execute(admin);
  if (available.rows.length === 0) return;
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(admin);
  } catch (error) {
    const exists = await sql`select 1 from pg_extension where extname = 'pg_trgm'`.execute(admin);
    if (exists.rows.length === 0) throw error;
  }
}

function testDatabase(
  config: DatabaseConfig,
  track: (db: Db) => Db,
  dispose: () => Promise<void>,
): TestDatabase {
  return {
    config,
    open: () => track(createDb(config)),
    openMigrated: async () => {
      const db = track(createDb(config));
      await migrateToLatest(db);
      return db;
    },
    dispose,
  };
}
