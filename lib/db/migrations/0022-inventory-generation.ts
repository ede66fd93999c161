import { PostgresAdapter, sql, type Kysely } from "kysely";

/*
 * A counter that moves on, in the same transaction, whenever a mirrored key appears, goes, or
 * changes the schedule the rotation calendar keeps of it (name, creation, expiry, rotation
 * policy, deletion), so that a portal process can keep the calendar's 10,000 keys and know by
 * one single-row read whether they are still current, also when another process or a sync
 * wrote. Tag, owner and attribute changes (most executed requests) leave it alone. Triggers, not
 * application code, move it: no writer of inventory_key can forget to.
 *
 * SQLite only. SQLite runs one writer at a time, so the counter row costs no contention. On
 * PostgreSQL every writing transaction would hold that one row's lock until it commits, which
 * serialises the syncs of different HSMs and can deadlock a sync against a refresh of the same
 * key; and an upsert fires statement-level insert triggers even when it only updates. There the
 * table exists with no triggers, and the calendar compares a fingerprint of the keys that the
 * database computes instead (scheduleFingerprint in lib/inventory/keys.ts).
 */

const WATCHED = ["hsm", "name", "created_at", "expires_at", "policy", "deleted_at"];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("inventory_generation")
    .addColumn("id", "integer", (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn("generation", "bigint", (col) => col.notNull())
    .execute();
  await sql`insert into inventory_generation (id, generation) values (1, 1)`.execute(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  const changed = sql.raw(WATCHED.map((c) => `old.${c} is not new.${c}`).join(" or "));
  const bump = sql`update inventory_generation set generation = generation + 1 where id = 1;`;
  await sql`create trigger inventory_key_generation_insert after insert on inventory_key
      begin ${bump} end`.execute(db);
  await sql`create trigger inventory_key_generation_delete after delete on inventory_key
      begin ${bump} end`.execute(db);
  await sql`create trigger inventory_key_generation_update after update on inventory_key
      when ${changed} begin ${bump} end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter))
    for (const event of ["insert", "update", "delete"])
      await sql`drop trigger if exists ${sql.raw(`inventory_key_generation_${event}`)}`.execute(db);
  await db.schema.dropTable("inventory_generation").execute();
}
