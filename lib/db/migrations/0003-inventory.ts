import type { Kysely } from "kysely";

/*
 * The inventory mirror: what the HSMs hold, as of the last sync, so that pages never wait on an
 * HSM. Rows are keyed by HSM name and lower-cased key name (Managed HSM key names ignore case).
 * No foreign keys: a mirror row is rewritten or removed by sync alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("inventory_hsm")
    .addColumn("name", "text", (col) => col.primaryKey())
    .addColumn("region", "text", (col) => col.notNull())
    .addColumn("url", "text", (col) => col.notNull())
    .addColumn("security_domain", "text", (col) => col.notNull().defaultTo("unknown"))
    .addColumn("last_success_at", "bigint")
    .addColumn("last_full_sync_at", "bigint")
    .addColumn("last_attempt_at", "bigint")
    .addColumn("last_error", "text")
    .addColumn("last_error_at", "bigint")
    .execute();

  await db.schema
    .createTable("inventory_key")
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("name_lower", "text", (col) => col.notNull())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("version", "text", (col) => col.notNull())
    .addColumn("kty", "text")
    .addColumn("family", "text")
    .addColumn("key_size", "integer")
    .addColumn("curve", "text")
    .addColumn("key_ops", "text", (col) => col.notNull())
    .addColumn("enabled", "integer", (col) => col.notNull())
    .addColumn("exportable", "integer", (col) => col.notNull())
    .addColumn("managed", "integer", (col) => col.notNull())
    .addColumn("not_before", "bigint")
    .addColumn("expires_at", "bigint")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("recovery_level", "text")
    .addColumn("tags", "text", (col) => col.notNull())
    .addColumn("owner", "text")
    .addColumn("version_count", "integer")
    .addColumn("policy", "text")
    .addColumn("policy_state", "text", (col) => col.notNull())
    .addColumn("next_rotation_at", "bigint")
    .addColumn("deleted_at", "bigint")
    .addColumn("scheduled_purge_at", "bigint")
    .addColumn("recovery_id", "text")
    .addColumn("detail_synced_at", "bigint")
    .addColumn("attributes_read_at", "bigint", (col) => col.notNull())
    .addColumn("search", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("inventory_key_pk", ["hsm", "name_lower"])
    .execute();
  for (const column of [
    "expires_at",
    "owner",
    "family",
    "updated_at",
    "deleted_at",
    "detail_synced_at",
  ])
    await db.schema
      .createIndex(`inventory_key_${column}`)
      .on("inventory_key")
      .columns(["hsm", column])
      .execute();
  // Across HSMs (no hsm filter): the live keys in each sort order, and the common filters.
  for (const column of ["name_lower", "expires_at", "updated_at", "next_rotation_at"])
    await db.schema
      .createIndex(`inventory_key_live_${column}`)
      .on("inventory_key")
      .columns(["deleted_at", column])
      .execute();
  await db.schema
    .createIndex("inventory_key_family_expiry")
    .on("inventory_key")
    .columns(["family", "expires_at"])
    .execute();

  await db.schema
    .createTable("inventory_key_tag")
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("key_lower", "text", (col) => col.notNull())
    .addColumn("tag", "text", (col) => col.notNull())
    .addColumn("value", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("inventory_key_tag_pk", ["hsm", "key_lower", "tag"])
    .execute();
  await db.schema
    .createIndex("inventory_key_tag_value")
    .on("inventory_key_tag")
    .columns(["tag", "value"])
    .execute();

  await db.schema
    .createTable("inventory_role_assignment")
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("scope", "text", (col) => col.notNull())
    .addColumn("key_lower", "text")
    .addColumn("role_definition_id", "text", (col) => col.notNull())
    .addColumn("principal_id", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("inventory_role_assignment_pk", ["hsm", "name"])
    .execute();
  await db.schema
    .createIndex("inventory_role_assignment_key")
    .on("inventory_role_assignment")
    .columns(["hsm", "key_lower"])
    .execute();

  await db.schema
    .createTable("inventory_role_definition")
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("id", "text", (col) => col.notNull())
    .addColumn("role_name", "text", (col) => col.notNull())
    .addColumn("role_type", "text", (col) => col.notNull())
    .addColumn("data_actions", "text", (col) => col.notNull())
    .addColumn("not_data_actions", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("inventory_role_definition_pk", ["hsm", "id"])
    .execute();

  await db.schema
    .createTable("sync_run")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("hsm", "text", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("trigger", "text", (col) => col.notNull())
    .addColumn("key_name", "text")
    .addColumn("requested_by", "text")
    .addColumn("started_at", "bigint", (col) => col.notNull())
    .addColumn("finished_at", "bigint")
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("calls", "integer", (col) => col.notNull())
    .addColumn("throttled", "integer", (col) => col.notNull())
    .addColumn("retries", "integer", (col) => col.notNull())
    .addColumn("failures", "integer", (col) => col.notNull())
    .addColumn("keys_listed", "integer", (col) => col.notNull())
    .addColumn("keys_refreshed", "integer", (col) => col.notNull())
    .addColumn("keys_removed", "integer", (col) => col.notNull())
    .addColumn("error", "text")
    .execute();
  await db.schema
    .createIndex("sync_run_hsm_started")
    .on("sync_run")
    .columns(["hsm", "started_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "sync_run",
    "inventory_role_definition",
    "inventory_role_assignment",
    "inventory_key_tag",
    "inventory_key",
    "inventory_hsm",
  ])
    await db.schema.dropTable(table).execute();
}
