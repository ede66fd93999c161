import type { Kysely } from "kysely";

/*
 * Access reviews (lib/access-reviews): a key admin starts a review of one HSM's role
 * assignments, copied from the inventory mirror as its items; reviewers confirm each or flag it
 * for removal. `open_hsm` holds the HSM while the review is open and is null after, so the unique
 * index lets one review per HSM be open at a time on both databases (NULLs never collide).
 * `pending` counts the undecided items: each decision decrements it on the review's row, which
 * serialises concurrent decisions, and the one that reaches 0 completes the review.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("access_review")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("open_hsm", "text", (col) => col.unique())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("note", "text", (col) => col.notNull())
    .addColumn("started_by", "text", (col) => col.notNull())
    .addColumn("started_by_name", "text", (col) => col.notNull())
    .addColumn("started_at", "bigint", (col) => col.notNull())
    .addColumn("mirror_synced_at", "bigint")
    .addColumn("item_count", "integer", (col) => col.notNull())
    .addColumn("pending", "integer", (col) => col.notNull())
    .addColumn("ended_at", "bigint")
    .addColumn("ended_by", "text")
    .addColumn("ended_by_name", "text")
    .addColumn("cancel_reason", "text")
    .execute();
  await db.schema
    .createIndex("access_review_list")
    .on("access_review")
    .columns(["started_at", "id"])
    .execute();
  await db.schema
    .createTable("access_review_item")
    .addColumn("review_id", "text", (col) => col.notNull())
    .addColumn("assignment", "text", (col) => col.notNull())
    .addColumn("position", "integer", (col) => col.notNull())
    .addColumn("scope", "text", (col) => col.notNull())
    .addColumn("role_definition_id", "text", (col) => col.notNull())
    .addColumn("role_name", "text", (col) => col.notNull())
    .addColumn("principal_id", "text", (col) => col.notNull())
    .addColumn("principal_name", "text", (col) => col.notNull())
    .addColumn("principal_type", "text", (col) => col.notNull())
    .addColumn("decision", "text", (col) => col.notNull())
    .addColumn("decided_by", "text")
    .addColumn("decided_by_name", "text")
    .addColumn("decided_at", "bigint")
    .addColumn("comment", "text")
    .addColumn("request_id", "text")
    .addColumn("already_removed", "integer", (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("access_review_item_pk", ["review_id", "assignment"])
    .execute();
  await db.schema
    .createIndex("access_review_item_order")
    .on("access_review_item")
    .columns(["review_id", "position"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("access_review_item").execute();
  await db.schema.dropTable("access_review").execute();
}
