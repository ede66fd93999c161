import type { Kysely } from "kysely";

/*
 * The mirror keeps each role definition's description, so that the custom role editor can show
 * it and file it unchanged. Rows synced before stay null until their HSM's next sync: null means
 * "not read yet", unlike "", a role without a description.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("inventory_role_definition")
    .addColumn("description", "text")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("inventory_role_definition").dropColumn("description").execute();
}
