/* Key templates (migration 0016). */

/** A key template the key team keeps; rows change only through approved `template.upsert` requests. */
export interface KeyTemplateTable {
  name: string;
  /** The template as JSON (lib/templates/template.ts `keyTemplate`). */
  definition: string;
  created_at: number;
  updated_at: number;
  /** The change request that last wrote the row ("seed" for the demo's). */
  updated_by_request: string;
}
