import { z } from "zod";

/*
 * Filters live in the URL, so that a view can be bookmarked and shared. One zod schema per view,
 * read forgivingly by its page (an invalid value is dropped, as if absent) and strictly by its
 * API (422 naming the field), and written back without empty or default values. Pure.
 */

export type SearchParams = Record<string, string | string[] | undefined>;

/** An optional URL value: the empty field of a submitted form counts as absent. */
export function optionalParam<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
}

/** A page's search params: each invalid value is dropped rather than failing the page. */
export function readSearchParams<T extends z.ZodObject>(
  schema: T,
  params: SearchParams,
): z.output<T> {
  const valid: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const raw = params[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && (field as z.ZodType).safeParse(value).success) valid[name] = value;
  }
  return schema.parse(valid);
}

/** `?a=1&b=x` from the values that are set and differ from `defaults`; "" when none are. */
export function toSearchQuery(
  values: Readonly<Record<string, string | number | undefined>>,
  defaults: Readonly<Record<string, unknown>> = {},
): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values))
    if (value !== undefined && value !== "" && value !== defaults[name])
      params.set(name, String(value));
  const query = params.toString();
  return query ? `?${query}` : "";
}
