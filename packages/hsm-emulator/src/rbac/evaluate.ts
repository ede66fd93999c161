import type { RoleDefinition } from "./builtin-roles";

/*
 * Managed HSM local RBAC, as a pure function. A caller may perform an action on a key when one
 * of the assignments to it (or to one of its groups) has a scope covering the key and a role
 * whose permissions list the action in dataActions and not in notDataActions. Scopes "/" and
 * "/keys" cover every key; "/keys/{name}" covers that key only. Actions that are not about one
 * key (RBAC, backup, rng, security domain) count HSM-wide assignments only. There are no denies.
 */

export interface Assignment {
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
}

export interface Caller {
  oid: string;
  /** Group object ids from the token: assignments to these groups apply too. */
  groups: readonly string[];
}

/** "/", "/keys" or "/keys/{name}" (name lower-cased: key names are case-insensitive). */
export function normaliseScope(scope: string): string | null {
  const trimmed = `/${scope.split("/").filter(Boolean).join("/")}`;
  if (trimmed === "/" || trimmed.toLowerCase() === "/keys") return trimmed.toLowerCase();
  const match = /^\/keys\/([0-9a-zA-Z-]{1,127})$/i.exec(trimmed);
  return match ? `/keys/${match[1]!.toLowerCase()}` : null;
}

export function scopeCovers(scope: string, keyName: string | null): boolean {
  if (scope === "/" || scope === "/keys") return true;
  return keyName !== null && scope === `/keys/${keyName.toLowerCase()}`;
}

function roleGrants(role: RoleDefinition, action: string): boolean {
  const wanted = action.toLowerCase();
  return role.properties.permissions.some(
    (p) =>
      p.dataActions.some((a) => a.toLowerCase() === wanted) &&
      !p.notDataActions.some((a) => a.toLowerCase() === wanted),
  );
}

export function isAllowed(
  assignments: readonly Assignment[],
  roleByDefinitionId: (id: string) => RoleDefinition | undefined,
  caller: Caller,
  action: string,
  keyName: string | null,
): boolean {
  const principals = new Set([
    caller.oid.toLowerCase(),
    ...caller.groups.map((g) => g.toLowerCase()),
  ]);
  return assignments.some((assignment) => {
    if (!principals.has(assignment.principalId.toLowerCase())) return false;
    if (!scopeCovers(assignment.scope, keyName)) return false;
    const role = roleByDefinitionId(assignment.roleDefinitionId);
    return role !== undefined && roleGrants(role, action);
  });
}
