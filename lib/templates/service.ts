import "server-only";

import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { findTemplate, listTemplates, type StoredTemplate } from "@/lib/templates/store";

/* Key templates as pages and routes read them. Templates are not secret: every role sees them. */

export async function keyTemplates(): Promise<StoredTemplate[]> {
  return listTemplates(await getDb());
}

/** Every template, and the moment they were read (for "changed 3 days ago"). */
export async function keyTemplatesRead(): Promise<{ templates: StoredTemplate[]; now: number }> {
  return { templates: await keyTemplates(), now: Date.now() };
}

export async function keyTemplate(name: string): Promise<StoredTemplate> {
  const found = await findTemplate(await getDb(), name);
  if (!found) throw new AppError("not_found", `There is no key template named ${name}.`);
  return found;
}
