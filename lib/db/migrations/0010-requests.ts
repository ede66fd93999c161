import type { Kysely } from "kysely";

/*
 * Change requests: the request (its state moves only by guarded updates), its items (one HSM
 * operation each, with the target's state at filing and its own outcome), the decisions of
 * approvers (one per person and request), the request's timeline, and the approval policy per
 * kind (absent rows mean the built-in defaults). No foreign keys to the inventory: a request
 * outlives the key it changed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("change_request")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("hsm", "text")
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("justification", "text", (col) => col.notNull())
    .addColumn("requester_id", "text", (col) => col.notNull())
    .addColumn("requester_name", "text", (col) => col.notNull())
    .addColumn("owner_groups", "text", (col) => col.notNull())
    .addColumn("policy", "text", (col) => col.notNull())
    .addColumn("approvals_required", "integer", (col) => col.notNull())
    .addColumn("approvals", "integer", (col) => col.notNull())
    .addColumn("item_count", "integer", (col) => col.notNull())
    .addColumn("summary", "text", (col) => col.notNull())
    .addColumn("idempotency_key", "text", (col) => col.notNull().unique())
    .addColumn("filed_at", "bigint", (col) => col.notNull())
    .addColumn("expires_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("decided_at", "bigint")
    .addColumn("finished_at", "bigint")
    .addColumn("outcome", "text")
    .execute();
  await db.schema
    .createIndex("change_request_state")
    .on("change_request")
    .columns(["state", "filed_at"])
    .execute();
  await db.schema
    .createIndex("change_request_requester")
    .on("change_request")
    .columns(["requester_id", "filed_at"])
    .execute();
  await db.schema
    .createIndex("change_request_filed")
    .on("change_request")
    .columns(["filed_at", "id"])
    .execute();

  await db.schema
    .createTable("change_request_item")
    .addColumn("request_id", "text", (col) => col.notNull())
    .addColumn("position", "integer", (col) => col.notNull())
    .addColumn("target", "text", (col) => col.notNull())
    .addColumn("change", "text", (col) => col.notNull())
    .addColumn("sealed_secret", "text")
    .addColumn("before", "text")
    .addColumn("before_hash", "text", (col) => col.notNull())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull())
    .addColumn("result", "text")
    .addColumn("error", "text")
    .addColumn("started_at", "bigint")
    .addColumn("claimed_until", "bigint")
    .addColumn("finished_at", "bigint")
    .addPrimaryKeyConstraint("change_request_item_pk", ["request_id", "position"])
    .execute();

  await db.schema
    .createTable("change_request_decision")
    .addColumn("request_id", "text", (col) => col.notNull())
    .addColumn("approver_id", "text", (col) => col.notNull())
    .addColumn("approver_name", "text", (col) => col.notNull())
    .addColumn("decision", "text", (col) => col.notNull())
    .addColumn("comment", "text")
    .addColumn("acknowledgement", "text")
    .addColumn("at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("change_request_decision_pk", ["request_id", "approver_id"])
    .execute();

  await db.schema
    .createTable("change_request_event")
    .addColumn("request_id", "text", (col) => col.notNull())
    .addColumn("n", "integer", (col) => col.notNull())
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("actor_name", "text", (col) => col.notNull())
    .addColumn("what", "text", (col) => col.notNull())
    .addColumn("detail", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("change_request_event_pk", ["request_id", "n"])
    .execute();

  await db.schema
    .createTable("approval_policy")
    .addColumn("kind", "text", (col) => col.primaryKey())
    .addColumn("policy", "text", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("updated_by_request", "text", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "approval_policy",
    "change_request_event",
    "change_request_decision",
    "change_request_item",
    "change_request",
  ])
    await db.schema.dropTable(table).execute();
}
