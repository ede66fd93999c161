import type { Kysely } from "kysely";

/*
 * Time-limited role grants: the role assignments made by requests with `expiresAfter`, each
 * removed by the expiry job at its end (lib/grants). The row is written in the transaction that
 * settles the request's item, so a grant and the record of its making commit together.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("role_grant")
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("assignment", "text", (col) => col.notNull())
    .addColumn("scope", "text", (col) => col.notNull())
    .addColumn("role_definition_id", "text", (col) => col.notNull())
    .addColumn("principal_id", "text", (col) => col.notNull())
    .addColumn("request_id", "text", (col) => col.notNull())
    .addColumn("requester_id", "text", (col) => col.notNull())
    .addColumn("granted_at", "bigint", (col) => col.notNull())
    .addColumn("expires_at", "bigint", (col) => col.notNull())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("claimed_until", "bigint")
    .addColumn("ended_at", "bigint")
    .addColumn("end_error", "text")
    .addPrimaryKeyConstraint("role_grant_pk", ["hsm", "assignment"])
    .execute();
  await db.schema
    .createIndex("role_grant_due")
    .on("role_grant")
    .columns(["state", "expires_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("role_grant").execute();
}
