import { PostgresAdapter, sql, type Kysely } from "kysely";

/*
 * A counter that every change to the key mirror moves on, in the same transaction, so that a
 * portal process can keep what it read from the mirror (the calendar's 10,000 keys) and know by
 * one single-row read whether it is still current — also when another process or a sync wrote.
 * Triggers, not application code, move it: no writer of inventory_key can forget to.
 * - SQLite has only row triggers: one update of the counter per row changed.
 * - PostgreSQL: a statement trigger, one update per statement however many rows it changed.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("inventory_generation")
    .addColumn("id", "integer", (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn("generation", "bigint", (col) => col.notNull())
    .execute();
  await sql`insert into inventory_generation (id, generation) values (1, 1)`.execute(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function inventory_generation_bump() returns trigger language plpgsql as $$
        begin
          update inventory_generation set generation = generation + 1 where id = 1;
          return null;
        end $$`.execute(db);
    await sql`create trigger inventory_key_generation
        after insert or update or delete on inventory_key
        for each statement execute function inventory_generation_bump()`.execute(db);
    return;
  }
  for (const event of ["insert", "update", "delete"])
    await sql`create trigger ${sql.raw(`inventory_key_generation_${event}`)} after ${sql.raw(event)} on inventory_key begin
        update inventory_generation set generation = generation + 1 where id = 1;
      end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger if exists inventory_key_generation on inventory_key`.execute(db);
    await sql`drop function if exists inventory_generation_bump()`.execute(db);
  } else
    for (const event of ["insert", "update", "delete"])
      await sql`drop trigger if exists ${sql.raw(`inventory_key_generation_${event}`)}`.execute(db);
  await db.schema.dropTable("inventory_generation").execute();
}
