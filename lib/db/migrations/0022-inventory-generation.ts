import { PostgresAdapter, sql, type Kysely } from "kysely";

/*
 * A counter that moves on, in the same transaction, whenever a mirrored key appears, goes, or
 * changes the schedule the rotation calendar keeps of it (name, creation, expiry, rotation
 * policy, deletion), so that a portal process can keep the calendar's 10,000 keys and know by
 * one single-row read whether they are still current, also when another process or a sync
 * wrote. Tag, owner and attribute changes (most executed requests) leave it alone.
 * Triggers, not application code, move it: no writer of inventory_key can forget to.
 * - SQLite: row triggers, one update of the counter per row changed.
 * - PostgreSQL: a statement trigger for inserts and deletes (one update however many rows), a
 *   row trigger for updates, which only a row trigger can compare.
 */

const WATCHED = ["hsm", "name", "created_at", "expires_at", "policy", "deleted_at"];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("inventory_generation")
    .addColumn("id", "integer", (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn("generation", "bigint", (col) => col.notNull())
    .execute();
  await sql`insert into inventory_generation (id, generation) values (1, 1)`.execute(db);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const changed = sql.raw(
    WATCHED.map((c) => `old.${c} is ${postgres ? "distinct from" : "not"} new.${c}`).join(" or "),
  );
  if (postgres) {
    await sql`create function inventory_generation_bump() returns trigger language plpgsql as $$
        begin
          update inventory_generation set generation = generation + 1 where id = 1;
          return null;
        end $$`.execute(db);
    await sql`create trigger inventory_key_generation
        after insert or delete on inventory_key
        for each statement execute function inventory_generation_bump()`.execute(db);
    await sql`create trigger inventory_key_generation_update
        after update on inventory_key for each row when (${changed})
        execute function inventory_generation_bump()`.execute(db);
    return;
  }
  const bump = sql`update inventory_generation set generation = generation + 1 where id = 1;`;
  await sql`create trigger inventory_key_generation_insert after insert on inventory_key
      begin ${bump} end`.execute(db);
  await sql`create trigger inventory_key_generation_delete after delete on inventory_key
      begin ${bump} end`.execute(db);
  await sql`create trigger inventory_key_generation_update after update on inventory_key
      when ${changed} begin ${bump} end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger if exists inventory_key_generation on inventory_key`.execute(db);
    await sql`drop trigger if exists inventory_key_generation_update on inventory_key`.execute(db);
    await sql`drop function if exists inventory_generation_bump()`.execute(db);
  } else
    for (const event of ["insert", "update", "delete"])
      await sql`drop trigger if exists ${sql.raw(`inventory_key_generation_${event}`)}`.execute(db);
  await db.schema.dropTable("inventory_generation").execute();
}
