import type { Kysely } from "kysely";

/*
 * Key templates: what application teams may ask for without the key team writing every key's
 * properties (lib/templates). Rows change only through approved `template.upsert` requests.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("key_template")
    .addColumn("name", "text", (col) => col.primaryKey())
    .addColumn("definition", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("updated_by_request", "text", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("key_template").execute();
}
