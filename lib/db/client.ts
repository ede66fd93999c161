import "server-only";

import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  sql,
  type SqliteDatabase,
} from "kysely";
import pg from "pg";

import { migrationProvider } from "@/lib/db/migrations";
import type { Database } from "@/lib/db/schema";
import { PortalSqliteDialect } from "@/lib/db/sqlite-dialect";
import { withStatementCache } from "@/lib/db/statement-cache";
import { getEnv, type DatabaseConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/log/logger";

export type Db = Kysely<Database>;

const PG_INT8_OID = 20;

/** Epoch-millisecond bigints and counts come back as numbers, as they do from SQLite. */
const int8AsNumber = ((oid: number, format?: "text" | "binary") =>
  oid === PG_INT8_OID
    ? (value: string) => Number(value)
    : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser;

/**
 * Connections to the SQLite file per process: requests read side by side while one transaction
 * writes (WAL mode), as they do on PostgreSQL's pool.
 */
const SQLITE_CONNECTIONS = 4;

function openSqlite(file: string): SqliteDatabase {
  const database = new SQLite(file);
  database.pragma("journal_mode = WAL");
  // No waiting inside SQLite: the dialect waits for the write lock on a timer (sqlite-busy.ts).
  database.pragma("busy_timeout = 0");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  return withStatementCache(database);
}

/** Opens a Kysely client for either dialect. Nothing outside this file knows which one it is. */
export function createDb(config: DatabaseConfig): Db {
  if (config.kind === "sqlite") {
    fs.mkdirSync(path.dirname(config.file), { recursive: true, mode: 0o700 });
    return new Kysely<Database>({
      dialect: new PortalSqliteDialect({
        open: () => openSqlite(config.file),
        connections: SQLITE_CONNECTIONS,
      }),
    });
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: 10,
    types: { getTypeParser: int8AsNumber },
  });
  /* A connection the server ends (a restart, a failover, pg_terminate_backend) emits "error" on
     its client; without a listener Node stops the whole process. The query on it fails and the
     pool replaces the client, so a warning is all this needs. */
  const warn = (error: Error) =>
    getLogger().warn({ err: error }, "a PostgreSQL connection failed; the pool replaces it");
  pool.on("error", warn);
  pool.on("connect", (client) => client.on("error", warn));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "sqlite") return `SQLite (${config.file})`;
  const url = new URL(config.url);
  return `PostgreSQL (${url.hostname}:${url.port || "5432"}${url.pathname})`;
}

/** For the few statements that differ between the dialects (search indexes, a data-modifying WITH). */
export function isPostgres(db: Kysely<unknown> | Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The PostgreSQL schema the connection works in. Kysely looks for its migration tables in every
 * schema of the database unless told which one, so another schema's tables (a second tenant, a
 * parallel test) would make it skip creating its own and then fail.
 */
async function migrationSchema(db: Db): Promise<string | undefined> {
  if (!isPostgres(db)) return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}

/** The portal's migrator, bound to the connection's own schema on PostgreSQL. */
export async function portalMigrator(db: Db): Promise<Migrator> {
  const schema = await migrationSchema(db);
  return new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Brings the schema to the latest migration; safe to call from several instances at once. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = await portalMigrator(db);
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === "Error");
  if (error !== undefined || failed) {
    throw new AppError(
      "unavailable",
      `Database migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return results.map((r) => r.migrationName);
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/* The portal process holds one client, migrated before first use. Kept on globalThis so that
   `next dev` module reloads do not open a new pool on every edit. */
const holder = globalThis as typeof globalThis & { keywardDb?: Promise<Db> };

export function getDb(): Promise<Db> {
  if (!holder.keywardDb) {
    const opening = (async () => {
      const db = createDb(getEnv().database);
      await migrateToLatest(db);
      return db;
    })();
    // A failed start (database down) is not remembered: the next caller tries again.
    opening.catch(() => {
      if (holder.keywardDb === opening) holder.keywardDb = undefined;
    });
    holder.keywardDb = opening;
  }
  return holder.keywardDb;
}
