import "server-only";

import {
  CompiledQuery,
  sql,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Kysely,
  type MigrationLockOptions,
  type SqliteDatabase,
} from "kysely";

import { retryingWhileBusy } from "@/lib/db/sqlite-busy";
import { SqlitePoolDriver } from "@/lib/db/sqlite-pool-driver";

const LOCK_WAIT_MS = 30_000;
/** A lock older than this belongs to a process that died while migrating. */
const LOCK_STALE_MS = 60_000;

/**
 * Kysely's SQLite adapter assumes one process per database file and takes no migration lock,
 * so two processes starting together both run the same migration and one fails. This adapter
 * uses the lock row Kysely already keeps: `is_locked` holds the time the lock was taken.
 */
class SqliteAdapterWithMigrationLock extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>, options: MigrationLockOptions) {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const now = Date.now();
      const result = await sql`update ${sql.table(options.lockTable)} set is_locked = ${now}
        where id = ${options.lockRowId} and (is_locked = 0 or is_locked < ${now - LOCK_STALE_MS})`.execute(
        db,
      );
      if ((result.numAffectedRows ?? 0n) > 0n) return;
      if (Date.now() > deadline)
        throw new Error(`another process has held the migration lock for ${LOCK_WAIT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  override async releaseMigrationLock(db: Kysely<unknown>, options: MigrationLockOptions) {
    await sql`update ${sql.table(options.lockTable)} set is_locked = 0 where id = ${options.lockRowId}`.execute(
      db,
    );
  }
}

/**
 * Waiting for another process's write lock happens on a timer (`retryingWhileBusy`), never
 * inside SQLite's call, which would stop this process's event loop.
 *
 * Transactions begin IMMEDIATE: they take the database's write lock at once (waiting for it as
 * above) instead of at their first write. A deferred transaction that read first fails
 * with SQLITE_BUSY, without waiting, when another process wrote in between; with several portal
 * processes on one file (the cluster's workers) every read-then-write transaction, such as an
 * audit append after the change it records, would be exposed to that.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  #retrying: DatabaseConnection | undefined;

  override async acquireConnection(): Promise<DatabaseConnection> {
    // Kysely's SQLite driver always lends its one connection (the pool holds several drivers).
    const connection = await super.acquireConnection();
    this.#retrying ??= retryingWhileBusy(connection);
    return this.#retrying;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/**
 * The portal's SQLite dialect: Kysely's, with a migration lock, IMMEDIATE transactions, waiting
 * for the write lock on a timer, and `connections` connections to the file (`open` opens one).
 */
export class PortalSqliteDialect implements Dialect {
  constructor(private readonly options: { open: () => SqliteDatabase; connections: number }) {}

  createAdapter() {
    return new SqliteAdapterWithMigrationLock();
  }

  createDriver() {
    return new SqlitePoolDriver(
      Array.from(
        { length: this.options.connections },
        () =>
          new ImmediateTransactionSqliteDriver({
            database: () => Promise.resolve(this.options.open()),
          }),
      ),
    );
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
