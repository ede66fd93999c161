import {
  effectiveActions,
  grantsEverything,
  hasAny,
  MANAGE_ACTIONS,
  USE_ACTIONS,
} from "@/lib/access/actions";
import { BUILT_IN_ROLES, isHsmWide, principalOf, type Grant } from "@/lib/access/model";
import { count } from "@/lib/format/count";
import { findingPrincipal, fromGrants, holders } from "@/lib/sod/rules/shared";
import type { FindingDraft, Rule } from "@/lib/sod/types";

/* Rules about administrators and role definitions. */

const isAdministrator = (g: Grant) =>
  g.assignment.roleDefinitionId === BUILT_IN_ROLES.administrator ||
  g.actions.has("securitydomain/download/action");

function hsmsOf(grants: Iterable<readonly Grant[]>, roleHsms: Iterable<string>): string[] {
  const names = new Set(roleHsms);
  for (const list of grants) for (const g of list) names.add(g.assignment.hsm);
  return [...names].sort();
}

export const adminIndividual: Rule = {
  id: "admin-individual",
  title: "Administrator role held by an individual user",
  defaultSeverity: "high",
  why: "Microsoft's guidance for Managed HSM: assign the Administrator role to an Entra security group, not to individuals, to prevent administration lockout when an account is deleted.",
  fix: "Create (or use) a security group of HSM administrators, assign the Administrator role to it, and remove the individual assignment.",
  evaluate: (context) => {
    const findings: FindingDraft[] = [];
    for (const [principalId, grants] of context.grants) {
      if (principalOf(context.model, principalId).kind !== "user") continue;
      const direct = grants.filter((g) => g.viaGroupId === null && isAdministrator(g));
      for (const hsm of new Set(direct.map((g) => g.assignment.hsm))) {
        const onHsm = direct.filter((g) => g.assignment.hsm === hsm);
        const principal = findingPrincipal(context.model, principalId);
        findings.push({
          id: `${hsm}:${principalId}`,
          hsm,
          summary: `User ${principal.label} holds the Administrator role on ${hsm} directly, not through a group.`,
          principals: [principal],
          ...fromGrants(onHsm),
        });
      }
    }
    return findings;
  },
};

/** What makes a custom role defeat separation of duties; manage and use name the actions of each half. */
export interface CustomRoleConcern {
  /** Every data action, by a wildcard or listed one by one. */
  everything: boolean;
  manage: string[];
  use: string[];
}

/**
 * The test of rule custom-role-mixed for one role's actions: null when the role neither grants
 * everything nor both manages keys (or access to them) and uses keys. Pure, so that the custom
 * role editor warns with the rule's own logic before the role exists.
 */
export function customRoleConcern(
  dataActions: readonly string[],
  notDataActions: readonly string[],
): CustomRoleConcern | null {
  const actions = effectiveActions(dataActions, notDataActions);
  const everything =
    grantsEverything(actions) || dataActions.some((a) => a === "*" || a.endsWith("managedHsm/*"));
  const mixed = hasAny(actions, MANAGE_ACTIONS) && hasAny(actions, USE_ACTIONS);
  if (!everything && !mixed) return null;
  const of = (set: ReadonlySet<string>) => [...actions].filter((a) => set.has(a)).sort();
  return { everything, manage: of(MANAGE_ACTIONS), use: of(USE_ACTIONS) };
}

export const customRoleMixed: Rule = {
  id: "custom-role-mixed",
  title: "Custom role that mixes duties or grants everything",
  defaultSeverity: "high",
  why: "Microsoft's guidance: build custom roles from a precise set of permissions. A role that both manages and uses keys, or grants every action, defeats separation of duties for everyone who holds it.",
  fix: "Split the custom role into a management role and a usage role, and list the data actions one by one instead of a wildcard.",
  evaluate: (context) => {
    const findings: FindingDraft[] = [];
    for (const role of context.model.roles) {
      if (role.roleType !== "CustomRole") continue;
      const concern = customRoleConcern(role.dataActions, role.notDataActions);
      if (!concern) continue;
      const assigned = context.model.assignments.filter(
        (a) => a.hsm === role.hsm && a.roleDefinitionId === role.id,
      );
      findings.push({
        id: `${role.hsm}:${role.id}`,
        hsm: role.hsm,
        summary: concern.everything
          ? `Custom role "${role.roleName}" grants every data action${assigned.length ? `; ${count(assigned.length, "assignment uses", "assignments use")} it` : ""}.`
          : `Custom role "${role.roleName}" both manages keys and uses them${assigned.length ? `; ${count(assigned.length, "assignment uses", "assignments use")} it` : ""}.`,
        principals: [...new Set(assigned.map((a) => a.principalId))].map((id) =>
          findingPrincipal(context.model, id),
        ),
        roles: [role.roleName],
        scopes: [...new Set(assigned.map((a) => a.scope))].sort(),
        keys: { all: assigned.some((a) => isHsmWide(a.scope)), names: [] },
        assignmentNames: assigned.map((a) => a.name).sort(),
      });
    }
    return findings;
  },
};

export const administratorCount: Rule = {
  id: "administrator-count",
  title: "Too few or too many administrators",
  defaultSeverity: "high",
  why: "Fewer than two administrators risks lockout (one departure and nobody can administer the HSM); many administrators is standing privilege nobody reviews.",
  fix: "Keep between two and the configured maximum of administrators, through one administrators group.",
  evaluate: (context) => {
    const findings: FindingDraft[] = [];
    const grants = [...context.grants.values()];
    for (const hsm of hsmsOf(
      grants,
      context.model.roles.map((r) => r.hsm),
    )) {
      const adminGrants = grants
        .flat()
        .filter(
          (g) => g.assignment.hsm === hsm && isAdministrator(g) && isHsmWide(g.assignment.scope),
        );
      const people = holders(context, adminGrants);
      const max = context.params.maxAdministrators;
      if (people.length >= 2 && people.length <= max) continue;
      findings.push({
        id: `${hsm}:${people.length < 2 ? "too-few" : "too-many"}`,
        hsm,
        summary:
          people.length < 2
            ? `${hsm} has ${people.length === 0 ? "no administrator" : "only one administrator"}: one lost account locks the HSM's administration.`
            : `${hsm} has ${people.length} administrators, more than the configured maximum of ${max}.`,
        principals: people.map((id) => findingPrincipal(context.model, id)),
        ...fromGrants(adminGrants.filter((g, i, all) => all.indexOf(g) === i)),
      });
    }
    return findings;
  },
};
