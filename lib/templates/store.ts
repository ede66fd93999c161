import type { Db } from "@/lib/db/client";
import { keyTemplate, type KeyTemplate } from "@/lib/templates/template";

/*
 * The key_template table. Definitions are parsed on the way out: a row the schema no longer
 * accepts is a defect to see, not a template to offer.
 */

export interface StoredTemplate {
  template: KeyTemplate;
  updatedAt: number;
  updatedByRequest: string;
}

const parse = (row: { definition: string; updated_at: number; updated_by_request: string }) => ({
  template: keyTemplate.parse(JSON.parse(row.definition)),
  updatedAt: Number(row.updated_at),
  updatedByRequest: row.updated_by_request,
});

export async function listTemplates(db: Db): Promise<StoredTemplate[]> {
  const rows = await db.selectFrom("key_template").selectAll().orderBy("name").execute();
  return rows.map(parse);
}

export async function findTemplate(db: Db, name: string): Promise<StoredTemplate | null> {
  const row = await db
    .selectFrom("key_template")
    .selectAll()
    .where("name", "=", name)
    .executeTakeFirst();
  return row ? parse(row) : null;
}

/** Writes a template (new or changed), in the caller's transaction. */
export async function storeTemplate(
  trx: Db,
  template: KeyTemplate,
  requestId: string,
  at: number,
): Promise<void> {
  const definition = JSON.stringify(template);
  await trx
    .insertInto("key_template")
    .values({
      name: template.name,
      definition,
      created_at: at,
      updated_at: at,
      updated_by_request: requestId,
    })
    .onConflict((c) =>
      c.column("name").doUpdateSet({ definition, updated_at: at, updated_by_request: requestId }),
    )
    .execute();
}
