import { sql, type Kysely } from "kysely";

/*
 * The audit log: an append-only, hash-chained table of events, the head row that serialises
 * appends (taken by an UPDATE first in every append: the row lock on PostgreSQL, the write lock
 * on SQLite) and holds the last event's time, and the history of chain verifications. The genesis value is the first event's
 * `prev_hash`; it is repeated here rather than imported so that this migration never changes.
 */
const GENESIS_HASH = "0".repeat(64);

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("audit_event")
    .addColumn("seq", "bigint", (col) => col.primaryKey())
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("actor", "text", (col) => col.notNull())
    .addColumn("actor_id", "text", (col) => col.notNull())
    .addColumn("action", "text", (col) => col.notNull())
    .addColumn("target", "text", (col) => col.notNull())
    .addColumn("outcome", "text", (col) => col.notNull())
    .addColumn("detail", "text", (col) => col.notNull())
    .addColumn("request_id", "text")
    .addColumn("prev_hash", "text", (col) => col.notNull())
    .addColumn("hash", "text", (col) => col.notNull())
    .execute();
  for (const column of ["at", "actor_id", "action", "outcome"])
    await db.schema
      .createIndex(`audit_event_${column}`)
      .on("audit_event")
      .columns([column, "seq"])
      .execute();

  await db.schema
    .createTable("audit_head")
    .addColumn("id", "integer", (col) => col.primaryKey())
    .addColumn("seq", "bigint", (col) => col.notNull())
    .addColumn("hash", "text", (col) => col.notNull())
    .addColumn("at", "bigint", (col) => col.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash, at) values (1, 0, ${GENESIS_HASH}, 0)`.execute(
    db,
  );

  await db.schema
    .createTable("audit_verification")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("ok", "integer", (col) => col.notNull())
    .addColumn("events", "bigint", (col) => col.notNull())
    .addColumn("head_seq", "bigint", (col) => col.notNull())
    .addColumn("head_hash", "text", (col) => col.notNull())
    .addColumn("checkpoints", "integer", (col) => col.notNull())
    .addColumn("last_checkpoint_at", "bigint")
    .addColumn("problems", "text", (col) => col.notNull())
    .addColumn("duration_ms", "integer", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("audit_verification_at")
    .on("audit_verification")
    .column("at")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("audit_verification").execute();
  await db.schema.dropTable("audit_head").execute();
  await db.schema.dropTable("audit_event").execute();
}
