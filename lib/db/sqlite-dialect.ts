import "server-only";

import { sql, SqliteAdapter, SqliteDialect, type Kysely, type MigrationLockOptions } from "kysely";

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

export class SqliteDialectWithMigrationLock extends SqliteDialect {
  override createAdapter() {
    return new SqliteAdapterWithMigrationLock();
  }
}
