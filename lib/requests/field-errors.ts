/*
 * Where a change request's field errors belong on the form that filed it. The API points into
 * the body it was sent: `/justification`, `/hsm`, and `/items/0/size` inside the (only) item,
 * or `/items/0` for the item as a whole (the HSM refused the change: "already has a key named …").
 * Pure, for client components.
 */

const ITEM = /^\/items\/0(?:\/(.*))?$/;

/** The form field for each pointer of a one-item request, or null for the form as a whole. */
export function requestFieldOf<F extends string>(map: {
  justification: F;
  hsm?: F;
  /** The field for a path inside the item ("size", "policy/expiresIn"; "" is the whole item). */
  item: (path: string) => F | null;
}): (pointer: string) => F | null {
  return (pointer) => {
    const item = ITEM.exec(pointer);
    if (item) return map.item(item[1] ?? "");
    if (pointer === "/justification") return map.justification;
    if (pointer === "/hsm") return map.hsm ?? null;
    return null;
  };
}

/**
 * An item path's field by its first member (`tags/owner` → the field of `tags`); the whole item
 * goes to `whole` (a refusal about the key, such as a name already taken, belongs by its name).
 */
export function fieldByMember<F extends string>(
  members: Partial<Record<string, F>>,
  whole: F | null = null,
): (path: string) => F | null {
  return (path) => (path === "" ? whole : (members[path.split("/")[0]!] ?? null));
}
