import { summariseActions } from "@/lib/access/actions";
import {
  grantsByPrincipal,
  grantsOnKey,
  indexRoles,
  isHsmWide,
  principalLabel,
  principalOf,
  unionActions,
  type AccessModel,
  type Assignment,
  type Grant,
  type Principal,
  type PrincipalKind,
} from "@/lib/access/model";

/* Rows for the access views, from the access model. Pure. */

export interface GrantRow {
  assignmentName: string;
  hsm: string;
  scope: string;
  roleName: string;
  /** The group the grant comes through, or null when it is assigned to the principal itself. */
  via: Principal | null;
}

export interface EffectiveRow {
  principal: Principal;
  /** Plain-word summary of everything the grants allow together. */
  can: string[];
  actions: string[];
  grants: GrantRow[];
}

function grantRow(model: AccessModel, grant: Grant): GrantRow {
  return {
    assignmentName: grant.assignment.name,
    hsm: grant.assignment.hsm,
    scope: grant.assignment.scope,
    roleName: grant.roleName,
    via: grant.viaGroupId ? principalOf(model, grant.viaGroupId) : null,
  };
}

const byLabel = (a: { principal: Principal }, b: { principal: Principal }) =>
  principalLabel(a.principal).localeCompare(principalLabel(b.principal));

/** Everyone who reaches one key and what they can do with it, directly or through groups. */
export function keyAccess(model: AccessModel, hsm: string, keyLower: string): EffectiveRow[] {
  const roles = indexRoles(model.roles);
  const reaching = grantsOnKey(grantsByPrincipal(model, roles), hsm, keyLower);
  return [...reaching]
    .map(([principalId, grants]) => {
      const actions = unionActions(grants);
      return {
        principal: principalOf(model, principalId),
        can: summariseActions(actions),
        actions: [...actions].sort(),
        grants: grants.map((g) => grantRow(model, g)),
      };
    })
    .sort(byLabel);
}

export interface ReachRow {
  hsm: string;
  scope: string;
  /** True for "/" and "/keys": every key of the HSM. */
  allKeys: boolean;
  keyLower: string | null;
  can: string[];
  actions: string[];
  grants: GrantRow[];
}

/** What one principal reaches, per HSM and scope, with the assignments that grant it. */
export function principalReach(model: AccessModel, principalId: string): ReachRow[] {
  const roles = indexRoles(model.roles);
  const grants = grantsByPrincipal(model, roles).get(principalId) ?? [];
  const byScope = new Map<string, Grant[]>();
  for (const grant of grants) {
    const key = `${grant.assignment.hsm}\n${grant.assignment.scope}`;
    byScope.set(key, [...(byScope.get(key) ?? []), grant]);
  }
  return [...byScope.values()]
    .map((list) => {
      const { hsm, scope } = list[0]!.assignment;
      const actions = unionActions(list);
      return {
        hsm,
        scope,
        allKeys: isHsmWide(scope),
        keyLower: isHsmWide(scope) ? null : scope.slice("/keys/".length),
        can: summariseActions(actions),
        actions: [...actions].sort(),
        grants: list.map((g) => grantRow(model, g)),
      };
    })
    .sort(
      (a, b) =>
        a.hsm.localeCompare(b.hsm) ||
        Number(b.allKeys) - Number(a.allKeys) ||
        a.scope.localeCompare(b.scope),
    );
}

/** The principals a person can pick in the explorer: assigned ones and members of assigned groups. */
export function pickablePrincipals(model: AccessModel): Principal[] {
  const ids = new Set(model.assignments.map((a) => a.principalId));
  for (const assignment of model.assignments)
    for (const member of model.groupMembers.get(assignment.principalId) ?? []) ids.add(member);
  return [...ids]
    .map((id) => principalOf(model, id))
    .sort(
      (a, b) => a.kind.localeCompare(b.kind) || principalLabel(a).localeCompare(principalLabel(b)),
    );
}

export interface AssignmentRow extends Assignment {
  principal: Principal;
  roleName: string;
  roleType: string | null;
}

export interface AssignmentFilters {
  hsm?: string;
  role?: string;
  kind?: PrincipalKind;
  scope?: "hsm" | "key";
  q?: string;
}

export function assignmentRows(
  model: AccessModel,
  filters: AssignmentFilters = {},
): AssignmentRow[] {
  const roles = indexRoles(model.roles);
  const q = filters.q?.trim().toLowerCase();
  return model.assignments
    .map((assignment) => ({
      ...assignment,
      principal: principalOf(model, assignment.principalId),
      roleName: roles.name(assignment.hsm, assignment.roleDefinitionId),
      roleType: roles.get(assignment.hsm, assignment.roleDefinitionId)?.roleType ?? null,
    }))
    .filter(
      (row) =>
        (!filters.hsm || row.hsm === filters.hsm) &&
        (!filters.role || row.roleName === filters.role) &&
        (!filters.kind || row.principal.kind === filters.kind) &&
        (!filters.scope || (filters.scope === "hsm") === isHsmWide(row.scope)) &&
        (!q ||
          [
            principalLabel(row.principal),
            row.principal.detail ?? "",
            row.principalId,
            row.scope,
            row.roleName,
          ].some((text) => text.toLowerCase().includes(q))),
    )
    .sort(
      (a, b) =>
        a.hsm.localeCompare(b.hsm) ||
        principalLabel(a.principal).localeCompare(principalLabel(b.principal)) ||
        a.scope.localeCompare(b.scope),
    );
}
