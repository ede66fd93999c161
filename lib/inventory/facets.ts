import "server-only";

import type { Db } from "@/lib/db/client";
import { liveKeys } from "@/lib/inventory/keys";
import { visibilityKey, type Visibility } from "@/lib/inventory/visibility";

export interface FacetOptions {
  sizes: string[];
  owners: string[];
  tags: string[];
}

/*
 * The filter menus' choices change only when a sync does, and reading them from every tag of
 * 5,000 keys on each page view would cost more than the page itself: they are kept for a short
 * while, per set of visible owners. A stale choice only offers a value that matches nothing yet.
 */
const FACET_TTL_MS = 30_000;
const facetCache = new Map<string, { at: number; options: Promise<FacetOptions> }>();

/** Values the filter menus offer: sizes and curves, owners, tag names present in what one may see. */
export function facetOptions(
  db: Db,
  visibility: Visibility,
  now: number = Date.now(),
): Promise<FacetOptions> {
  const key = visibilityKey(visibility);
  const cached = facetCache.get(key);
  if (cached && now - cached.at < FACET_TTL_MS) return cached.options;
  if (facetCache.size > 500) facetCache.clear();
  const options = readFacetOptions(db, visibility);
  facetCache.set(key, { at: now, options });
  options.catch(() => facetCache.delete(key));
  return options;
}

async function readFacetOptions(db: Db, visibility: Visibility): Promise<FacetOptions> {
  const [sizes, curves, owners, tags] = await Promise.all([
    liveKeys(db, visibility)
      .select("key_size")
      .distinct()
      .where("key_size", "is not", null)
      .orderBy("key_size")
      .execute(),
    liveKeys(db, visibility)
      .select("curve")
      .distinct()
      .where("curve", "is not", null)
      .orderBy("curve")
      .execute(),
    liveKeys(db, visibility)
      .select("owner")
      .distinct()
      .where("owner", "is not", null)
      .orderBy("owner")
      .execute(),
    db
      .selectFrom("inventory_key_tag as t")
      .innerJoin("inventory_key as k", (join) =>
        join.onRef("k.hsm", "=", "t.hsm").onRef("k.name_lower", "=", "t.key_lower"),
      )
      .select("t.tag")
      .distinct()
      .where("k.deleted_at", "is", null)
      .$if(!visibility.all, (q) =>
        q.where("k.owner", "in", visibility.all ? [] : [...visibility.owners, ""]),
      )
      .orderBy("t.tag")
      .limit(200)
      .execute(),
  ]);
  return {
    sizes: [...sizes.map((s) => String(s.key_size)), ...curves.map((c) => c.curve!)],
    owners: owners.map((o) => o.owner!),
    tags: tags.map((t) => t.tag),
  };
}
