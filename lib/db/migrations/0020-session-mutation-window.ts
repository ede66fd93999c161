import type { Kysely } from "kysely";

/*
 * Each session counts its changes in a fixed one-minute window (lib/auth/mutation-limit.ts), on
 * its own row so that every portal instance counts against the same limit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("session")
    .addColumn("mutation_window_start", "bigint", (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("session")
    .addColumn("mutation_count", "integer", (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("session").dropColumn("mutation_count").execute();
  await db.schema.alterTable("session").dropColumn("mutation_window_start").execute();
}
