import { effectiveActions } from "@/lib/access/actions";

/*
 * The access model the views and the separation-of-duties rules share: role assignments, role
 * definitions and what the directory says about each principal, including transitive group
 * membership. Pure data and pure functions; lib/access/load.ts builds it from the database.
 */

export type PrincipalKind = "user" | "group" | "servicePrincipal" | "unknown";
/** "missing": the directory answered that the object does not exist. "unresolved": not asked yet or not reachable. */
export type PrincipalStatus = "exists" | "missing" | "unresolved";

export interface Principal {
  id: string;
  kind: PrincipalKind;
  displayName: string | null;
  /** User principal name, or application id for service principals. */
  detail: string | null;
  guest: boolean;
  status: PrincipalStatus;
}

export interface Assignment {
  hsm: string;
  name: string;
  /** "/", "/keys" or "/keys/{lower-case name}". */
  scope: string;
  roleDefinitionId: string;
  principalId: string;
}

export interface RoleDefinition {
  hsm: string;
  id: string;
  roleName: string;
  /** "AKVBuiltInRole" or "CustomRole". */
  roleType: string;
  /** Null until the HSM is synced once after the portal learnt to keep descriptions. */
  description: string | null;
  dataActions: string[];
  notDataActions: string[];
}

export interface PortalRoleHolder {
  principalId: string;
  role: string;
  /** The group the role is assigned to, when it reaches the person through a group. */
  viaGroupId: string | null;
}

export interface AccessModel {
  assignments: Assignment[];
  roles: RoleDefinition[];
  principals: ReadonlyMap<string, Principal>;
  /** Group id → every transitive member id (users, service principals and nested groups). */
  groupMembers: ReadonlyMap<string, readonly string[]>;
  portalRoleHolders: PortalRoleHolder[];
}

export const BUILT_IN_ROLES = {
  administrator: "a290e904-7015-4bba-90c8-60543313cdb4",
  cryptoOfficer: "515eb02d-2335-4d2d-92f2-b1cbdf9c3778",
  cryptoUser: "21dbd100-6940-42c2-9190-5d6cb909625b",
  policyAdministrator: "4bd23610-cdcf-4971-bdee-bdc562cc28e4",
  cryptoAuditor: "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3",
  serviceEncryptionUser: "33413926-3206-4cdd-b39a-83574fe37a17",
  serviceReleaseUser: "21dbd100-6940-42c2-9190-5d6cb909625c",
  backup: "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8",
  restore: "6efe6056-5259-49d2-8b3d-d3d73544b20b",
} as const;

export const isHsmWide = (scope: string) => scope === "/" || scope === "/keys";

/** The key a scope names, or null for the HSM-wide scopes. */
export const keyOfScope = (scope: string): string | null =>
  isHsmWide(scope) ? null : (/^\/keys\/(.+)$/.exec(scope)?.[1] ?? null);

/** Two scopes overlap when one covers the other: HSM-wide covers every key. */
export const scopesOverlap = (a: string, b: string): boolean =>
  isHsmWide(a) || isHsmWide(b) || a === b;

export function unknownPrincipal(id: string): Principal {
  return {
    id,
    kind: "unknown",
    displayName: null,
    detail: null,
    guest: false,
    status: "unresolved",
  };
}

export function principalOf(model: AccessModel, id: string): Principal {
  return model.principals.get(id) ?? unknownPrincipal(id);
}

export function principalLabel(principal: Principal): string {
  if (principal.status === "missing") return `Deleted principal ${principal.id}`;
  return principal.displayName ?? principal.id;
}

const roleKey = (hsm: string, id: string) => `${hsm}\n${id}`;

/** Role lookups with the effective actions of each role computed once. */
export interface RoleIndex {
  get(hsm: string, id: string): RoleDefinition | undefined;
  actions(hsm: string, id: string): ReadonlySet<string>;
  name(hsm: string, id: string): string;
}

export function indexRoles(roles: readonly RoleDefinition[]): RoleIndex {
  const byKey = new Map(roles.map((role) => [roleKey(role.hsm, role.id), role]));
  const actionCache = new Map<string, ReadonlySet<string>>();
  return {
    get: (hsm, id) => byKey.get(roleKey(hsm, id)),
    actions: (hsm, id) => {
      const key = roleKey(hsm, id);
      let cached = actionCache.get(key);
      if (!cached) {
        const role = byKey.get(key);
        cached = role ? effectiveActions(role.dataActions, role.notDataActions) : new Set();
        actionCache.set(key, cached);
      }
      return cached;
    },
    name: (hsm, id) => byKey.get(roleKey(hsm, id))?.roleName ?? `Unknown role ${id}`,
  };
}

/** One assignment reaching one principal, directly or through a group the principal is in. */
export interface Grant {
  assignment: Assignment;
  roleName: string;
  actions: ReadonlySet<string>;
  /** The group the assignment names, when the principal holds it through membership. */
  viaGroupId: string | null;
}

/** Member id → the assigned groups it belongs to (transitively). */
export function groupsByMember(model: Pick<AccessModel, "groupMembers">): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [groupId, members] of model.groupMembers)
    for (const member of members) {
      const groups = result.get(member) ?? [];
      groups.push(groupId);
      result.set(member, groups);
    }
  return result;
}

/**
 * Every principal that holds at least one assignment, directly or through a group, with its
 * grants. A group with known members appears too (as the principal assignments name).
 */
export function grantsByPrincipal(model: AccessModel, roles: RoleIndex): Map<string, Grant[]> {
  const result = new Map<string, Grant[]>();
  const add = (principalId: string, grant: Grant) => {
    const grants = result.get(principalId) ?? [];
    grants.push(grant);
    result.set(principalId, grants);
  };
  for (const assignment of model.assignments) {
    const base = {
      assignment,
      roleName: roles.name(assignment.hsm, assignment.roleDefinitionId),
      actions: roles.actions(assignment.hsm, assignment.roleDefinitionId),
    };
    add(assignment.principalId, { ...base, viaGroupId: null });
    for (const member of model.groupMembers.get(assignment.principalId) ?? [])
      if (member !== assignment.principalId)
        add(member, { ...base, viaGroupId: assignment.principalId });
  }
  return result;
}

/** The grants that reach one key of one HSM, per principal. */
export function grantsOnKey(
  grants: ReadonlyMap<string, readonly Grant[]>,
  hsm: string,
  keyLower: string,
): Map<string, Grant[]> {
  const result = new Map<string, Grant[]>();
  for (const [principalId, list] of grants) {
    const reaching = list.filter(
      (g) =>
        g.assignment.hsm === hsm &&
        (isHsmWide(g.assignment.scope) || keyOfScope(g.assignment.scope) === keyLower),
    );
    if (reaching.length > 0) result.set(principalId, reaching);
  }
  return result;
}

export function unionActions(grants: readonly Grant[]): Set<string> {
  const result = new Set<string>();
  for (const grant of grants) for (const action of grant.actions) result.add(action);
  return result;
}
