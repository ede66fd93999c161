import { sql, type Kysely } from "kysely";

/*
 * Backups: every run of a full backup (manual, scheduled, or the safety backup before a full
 * restore), and the catalogue of what each good backup holds — its keys with their versions,
 * attributes and tags, and the HSM's role assignments and custom roles — so that "which backups
 * hold key X" is one indexed query. Numbered 0013: 0012 belongs to another branch.
 *
 * Two guards live in the schema rather than in code, so that they hold across portal instances:
 * at most one running backup per HSM (a partial unique index), and at most one run per
 * scheduled time of a schedule (a unique index; NULLs — manual runs — never collide).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("backup_run")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("trigger", "text", (col) => col.notNull())
    .addColumn("schedule_name", "text")
    .addColumn("scheduled_for", "bigint")
    .addColumn("requested_by", "text")
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("container_url", "text", (col) => col.notNull())
    .addColumn("job_id", "text")
    .addColumn("status_url", "text")
    .addColumn("folder_url", "text")
    .addColumn("error", "text")
    .addColumn("started_at", "bigint")
    .addColumn("finished_at", "bigint")
    .addColumn("catalogued_at", "bigint")
    .addColumn("folder_deleted_at", "bigint")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("backup_run_one_running")
    .on("backup_run")
    .column("hsm")
    .unique()
    .where(sql.ref("state"), "=", "running")
    .execute();
  await db.schema
    .createIndex("backup_run_schedule_slot")
    .on("backup_run")
    .columns(["hsm", "schedule_name", "scheduled_for"])
    .unique()
    .execute();
  await db.schema
    .createIndex("backup_run_history")
    .on("backup_run")
    .columns(["hsm", "created_at"])
    .execute();

  await db.schema
    .createTable("backup_catalogue_key")
    .addColumn("run_id", "text", (col) => col.notNull())
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("name_lower", "text", (col) => col.notNull())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("versions", "text", (col) => col.notNull())
    .addColumn("attributes", "text", (col) => col.notNull())
    .addColumn("tags", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("backup_catalogue_key_pk", ["run_id", "name_lower"])
    .execute();
  await db.schema
    .createIndex("backup_catalogue_key_by_name")
    .on("backup_catalogue_key")
    .columns(["hsm", "name_lower"])
    .execute();

  await db.schema
    .createTable("backup_catalogue_access")
    .addColumn("run_id", "text", (col) => col.primaryKey())
    .addColumn("role_assignments", "text", (col) => col.notNull())
    .addColumn("custom_roles", "text", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("backup_catalogue_access").execute();
  await db.schema.dropTable("backup_catalogue_key").execute();
  await db.schema.dropTable("backup_run").execute();
}
