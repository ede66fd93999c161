import { hasPermission } from "@/lib/auth/permissions";

/*
 * Which keys a person may see. The key team, approvers and auditors see every key; a requester
 * sees the keys whose `owner` tag holds the object id of one of their groups (the groups claim
 * of their sign-in, transitive as Entra issues it).
 */

export type Visibility = { all: true } | { all: false; owners: string[] };

export function visibilityOf(session: {
  roles: readonly string[];
  groups: readonly string[];
}): Visibility {
  if (hasPermission(session.roles, "inventory.readAll")) return { all: true };
  return { all: false, owners: [...new Set(session.groups.map((g) => g.toLowerCase()))] };
}

/** The same text for the same set of visible owners, whatever their order: a cache key. */
export function visibilityKey(visibility: Visibility): string {
  return visibility.all ? "*" : [...visibility.owners].sort().join(",");
}
