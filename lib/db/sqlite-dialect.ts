import "server-only";

import {
  CompiledQuery,
  sql,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Kysely,
  type MigrationLockOptions,
  type SqliteDialectConfig,
} from "kysely";

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
 * Transactions begin IMMEDIATE: they take the database's write lock at once (waiting up to the
 * busy timeout) instead of at their first write. A deferred transaction that read first fails
 * with SQLITE_BUSY, without waiting, when another process wrote in between; with several portal
 * processes on one file (the cluster's workers) every read-then-write transaction, such as an
 * audit append after the change it records, would be exposed to that.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

export class SqliteDialectWithMigrationLock extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createAdapter() {
    return new SqliteAdapterWithMigrationLock();
  }

  override createDriver() {
    return new ImmediateTransactionSqliteDriver(this.settings);
  }
}
