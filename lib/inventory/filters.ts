import { z } from "zod";

import { readSearchParams, toSearchQuery, type SearchParams } from "@/lib/validation/search-params";

/*
 * The keys view's filters, sort and page, as they appear in the URL (so a view can be
 * bookmarked and shared), parsed once for the page, the JSON API and the CSV export. Pure.
 * Unknown or malformed values fall back to "no filter" for pages; the API reports them.
 */

export const PAGE_SIZES = [25, 50, 100] as const;
export const SORT_FIELDS = [
  "name",
  "hsm",
  "type",
  "expires",
  "updated",
  "versions",
  "rotation",
] as const;
export const FAMILIES = ["RSA", "EC", "oct"] as const;
export const EXPIRY_WINDOWS = ["expired", "30d", "90d", "none"] as const;
export const POLICY_STATES = ["rotates", "expiry-only", "none"] as const;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((value) => (value === "" ? undefined : value))
    .optional();

export const keyFiltersSchema = z.object({
  q: text(200),
  hsm: text(24),
  type: z.enum(FAMILIES).optional(),
  /** An RSA size in bits ("2048") or an EC curve ("P-256"). */
  size: z
    .string()
    .regex(/^(\d{4}|P-\d{3}K?)$/, "must be an RSA size such as 2048 or a curve such as P-256")
    .optional(),
  enabled: z.enum(["yes", "no"]).optional(),
  expiry: z.enum(EXPIRY_WINDOWS).optional(),
  policy: z.enum(POLICY_STATES).optional(),
  owner: text(64),
  /** "name" (has the tag) or "name=value". */
  tag: text(300),
  sort: z.enum(SORT_FIELDS).default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce
    .number()
    .refine(
      (n): n is (typeof PAGE_SIZES)[number] => (PAGE_SIZES as readonly number[]).includes(n),
      "must be 25, 50 or 100",
    )
    .default(25),
});

export type KeyFilters = z.infer<typeof keyFiltersSchema>;

/** Page search params, forgiving: every invalid value is dropped rather than failing the page. */
export function readKeyFilters(params: SearchParams): KeyFilters {
  return readSearchParams(keyFiltersSchema, params);
}

/** The tag filter split into its name and optional value. */
export function parseTagFilter(
  tag: string | undefined,
): { name: string; value?: string } | undefined {
  if (!tag) return undefined;
  const at = tag.indexOf("=");
  if (at < 0) return { name: tag };
  return { name: tag.slice(0, at).trim(), value: tag.slice(at + 1).trim() };
}

const DEFAULTS = keyFiltersSchema.parse({});

/** The URL query of a filter set, without defaults, with changes applied. */
export function filtersToQuery(
  filters: KeyFilters,
  changes: Partial<Record<keyof KeyFilters, string | number | undefined>> = {},
): string {
  return toSearchQuery({ ...filters, ...changes }, DEFAULTS);
}
