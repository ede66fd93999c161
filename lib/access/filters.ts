import { z } from "zod";

import { RULE_IDS, SEVERITIES } from "@/lib/sod/types";
import { guid, hsmName, keyName } from "@/lib/validation/primitives";

/* URL parameters of the access and separation-of-duties views and their exports. */

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const assignmentFiltersSchema = z.object({
  hsm: optional(hsmName),
  role: optional(z.string().max(200)),
  kind: optional(z.enum(["user", "group", "servicePrincipal", "unknown"])),
  scope: optional(z.enum(["hsm", "key"])),
  q: optional(z.string().max(200)),
});
export type AssignmentFilterParams = z.infer<typeof assignmentFiltersSchema>;

export const findingFiltersSchema = z.object({
  hsm: optional(hsmName),
  severity: optional(z.enum(SEVERITIES)),
  rule: optional(z.enum(RULE_IDS)),
  principal: optional(guid),
  key: optional(keyName),
});
export type FindingFilters = z.infer<typeof findingFiltersSchema>;

/** Lenient reading for pages: an invalid parameter is dropped, not an error page. */
export function readFilters<T extends z.ZodObject>(
  schema: T,
  params: Record<string, string | string[] | undefined>,
): z.infer<T> {
  const flat = Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]),
  );
  const result: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const parsed = (field as z.ZodTypeAny).safeParse(flat[name]);
    if (parsed.success && parsed.data !== undefined) result[name] = parsed.data;
  }
  return result as z.infer<T>;
}

export function toQuery(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}
