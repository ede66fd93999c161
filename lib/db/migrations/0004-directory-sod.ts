import type { Kysely } from "kysely";

/*
 * The directory cache (names, kinds and transitive group membership of the principals the HSMs'
 * role assignments name, and who holds the portal's own app roles) and the separation-of-duties
 * rule settings with the record of every change to them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("directory_object")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("display_name", "text")
    .addColumn("detail", "text")
    .addColumn("guest", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("fetched_at", "bigint", (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("directory_member")
    .addColumn("group_id", "text", (col) => col.notNull())
    .addColumn("member_id", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("directory_member_pk", ["group_id", "member_id"])
    .execute();
  await db.schema
    .createIndex("directory_member_member")
    .on("directory_member")
    .column("member_id")
    .execute();

  await db.schema
    .createTable("directory_portal_role")
    .addColumn("principal_id", "text", (col) => col.notNull())
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("via_group_id", "text")
    .execute();

  await db.schema
    .createTable("directory_status")
    .addColumn("id", "integer", (col) => col.primaryKey())
    .addColumn("last_attempt_at", "bigint")
    .addColumn("last_success_at", "bigint")
    .addColumn("last_error", "text")
    .execute();

  await db.schema
    .createTable("sod_rule_setting")
    .addColumn("rule_id", "text", (col) => col.primaryKey())
    .addColumn("enabled", "integer", (col) => col.notNull())
    .addColumn("severity", "text", (col) => col.notNull())
    .addColumn("params", "text")
    .addColumn("updated_by", "text", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("sod_setting_change")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("rule_id", "text", (col) => col.notNull())
    .addColumn("changed_by", "text", (col) => col.notNull())
    .addColumn("changed_by_name", "text", (col) => col.notNull())
    .addColumn("changed_at", "bigint", (col) => col.notNull())
    .addColumn("before", "text", (col) => col.notNull())
    .addColumn("after", "text", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "sod_setting_change",
    "sod_rule_setting",
    "directory_status",
    "directory_portal_role",
    "directory_member",
    "directory_object",
  ])
    await db.schema.dropTable(table).execute();
}
