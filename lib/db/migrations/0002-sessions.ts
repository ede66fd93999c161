import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("session")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("public_id", "text", (col) => col.notNull().unique())
    .addColumn("user_oid", "text", (col) => col.notNull())
    .addColumn("tenant_id", "text", (col) => col.notNull())
    .addColumn("display_name", "text", (col) => col.notNull())
    .addColumn("username", "text", (col) => col.notNull())
    .addColumn("roles", "text", (col) => col.notNull())
    .addColumn("groups", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("last_seen_at", "bigint", (col) => col.notNull())
    .addColumn("expires_at", "bigint", (col) => col.notNull())
    .addColumn("auth_time", "bigint")
    .addColumn("user_agent", "text", (col) => col.notNull())
    .addColumn("token_cache", "text", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("session_user_oid")
    .on("session")
    .columns(["user_oid", "tenant_id"])
    .execute();
  await db.schema.createIndex("session_expires_at").on("session").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("session").execute();
}
