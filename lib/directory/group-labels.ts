import type { Principal } from "@/lib/access/model";

/*
 * How a group object id named outside a role assignment (a key's owner tag) reads on a page.
 * Pure: the directory cache's answer goes in, a label comes out. A page never shows a bare id
 * as if it were a name: an id the directory says is gone is a deleted principal, an id it has
 * not described (yet) is an unknown group, and both keep the id next to the words.
 */

export type GroupLabel =
  | { id: string; status: "exists"; name: string }
  | { id: string; status: "missing" }
  | { id: string; status: "unknown" };

/** The label of `id`, given what the directory cache holds for it (nothing when never looked up). */
export function groupLabel(id: string, cached: Principal | undefined): GroupLabel {
  if (cached?.status === "missing") return { id, status: "missing" };
  if (cached?.status === "exists" && cached.displayName)
    return { id, status: "exists", name: cached.displayName };
  return { id, status: "unknown" };
}

/** The label as plain text, for places without markup (a menu option). */
export function groupLabelText(label: GroupLabel): string {
  if (label.status === "exists") return label.name;
  if (label.status === "missing") return `Deleted principal ${label.id}`;
  return `Unknown group ${label.id}`;
}

/**
 * Menu options for group ids, sorted by their text. Group names are not unique: a name two
 * groups share gets each one's id, so the menu never offers two identical choices.
 */
export function groupOptions(labels: readonly GroupLabel[]): [id: string, text: string][] {
  const named = new Map<string, number>();
  for (const label of labels)
    if (label.status === "exists") named.set(label.name, (named.get(label.name) ?? 0) + 1);
  return labels
    .map((label): [string, string] => {
      const text = groupLabelText(label);
      return [
        label.id,
        label.status === "exists" && (named.get(label.name) ?? 0) > 1
          ? `${text} (${label.id})`
          : text,
      ];
    })
    .sort(([, a], [, b]) => a.localeCompare(b, "en"));
}
