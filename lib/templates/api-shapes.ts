import { z } from "zod";

import type { StoredTemplate } from "@/lib/templates/store";
import { keyTemplate } from "@/lib/templates/template";

/* The key-template API's answers as zod schemas, published in the OpenAPI document. */

export const templateNameParams = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "must be a key template's name"),
});

export const storedTemplateShape = z
  .object({
    template: keyTemplate,
    updatedAt: z.iso.datetime(),
    updatedByRequest: z
      .string()
      .meta({ description: "The template.upsert request that last wrote it, or seed" }),
  })
  .meta({ id: "KeyTemplate" });

export const templateListShape = z
  .object({ templates: z.array(storedTemplateShape) })
  .meta({ id: "KeyTemplateList" });

export function apiTemplate(stored: StoredTemplate): z.input<typeof storedTemplateShape> {
  return {
    template: stored.template,
    updatedAt: new Date(stored.updatedAt).toISOString(),
    updatedByRequest: stored.updatedByRequest,
  };
}
