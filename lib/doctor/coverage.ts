import { effectiveActions } from "@/lib/access/actions";
import type { RoleAssignmentInfo, RoleDefinitionInfo } from "@/lib/hsm/types";

import { CAPABILITIES, isKeyAction, type Capability } from "./needs";

/*
 * Whether the portal's identity may do what each capability needs on one HSM, computed from the
 * HSM's own role assignments and definitions, and the fewest built-in roles that would close a
 * gap, as `az` commands. Pure module: the caller reads the HSM.
 */

export interface CapabilityCoverage {
  capability: Capability;
  /** The data actions the identity lacks (short form), or the role it does not hold. */
  missing: string[];
  /** The roles that grant what it has, by name: "Managed HSM Crypto User at /keys". */
  grantedBy: string[];
  /** `az` commands that would close the gap, one per role. */
  fixes: string[];
}

export interface CoverageInput {
  hsmName: string;
  principalId: string;
  assignments: readonly RoleAssignmentInfo[];
  definitions: readonly RoleDefinitionInfo[];
}

interface HeldRole {
  definition: RoleDefinitionInfo;
  scope: string;
  actions: Set<string>;
}

function heldRoles(input: CoverageInput): HeldRole[] {
  const principal = input.principalId.toLowerCase();
  const byId = new Map(input.definitions.map((d) => [d.id.toLowerCase(), d]));
  return input.assignments.flatMap((assignment) => {
    const definition = byId.get(assignment.roleDefinitionId.toLowerCase());
    if (assignment.principalId.toLowerCase() !== principal || !definition) return [];
    if (assignment.scope !== "/" && assignment.scope !== "/keys") return [];
    const actions = effectiveActions(definition.dataActions, definition.notDataActions);
    return [{ definition, scope: assignment.scope, actions }];
  });
}

/** "/" and "/keys" are both HSM-wide (lib/access/model.ts): either grants every action. */
const grants = (role: HeldRole, action: string) => role.actions.has(action);

/**
 * Built-in roles that together grant `missing`, chosen greedily: the role granting most of what
 * is still missing, the smaller role on a tie, until nothing is left or no role helps.
 */
export function rolesToGrant(
  missing: readonly string[],
  definitions: readonly RoleDefinitionInfo[],
): RoleDefinitionInfo[] {
  const builtIn = definitions
    .filter((d) => /builtin/i.test(d.roleType))
    .map((definition) => ({
      definition,
      actions: effectiveActions(definition.dataActions, definition.notDataActions),
    }));
  const left = new Set(missing);
  const chosen: RoleDefinitionInfo[] = [];
  while (left.size > 0) {
    let best: (typeof builtIn)[number] | undefined;
    let bestCount = 0;
    for (const candidate of builtIn) {
      const count = [...left].filter((action) => candidate.actions.has(action)).length;
      const better =
        count > bestCount ||
        (count === bestCount && count > 0 && candidate.actions.size < best!.actions.size);
      if (better) {
        best = candidate;
        bestCount = count;
      }
    }
    if (!best) break;
    chosen.push(best.definition);
    for (const action of best.actions) left.delete(action);
  }
  return chosen;
}

export function assignCommand(
  hsmName: string,
  roleName: string,
  scope: string,
  principalId: string,
): string {
  return `az keyvault role assignment create --hsm-name ${hsmName} --role "${roleName}" --scope ${scope} --assignee-object-id ${principalId}`;
}

/** Each capability's coverage by the identity's assignments at "/" and "/keys". */
export function capabilityCoverage(input: CoverageInput): CapabilityCoverage[] {
  const held = heldRoles(input);
  return CAPABILITIES.map((capability) => {
    const missing = capability.actions.filter((action) => !held.some((r) => grants(r, action)));
    const holdsRole =
      !capability.role ||
      held.some((r) => r.scope === "/" && r.definition.id.toLowerCase() === capability.role!.id);
    const grantedBy = held
      .filter((r) =>
        capability.role
          ? r.definition.id.toLowerCase() === capability.role.id
          : capability.actions.some((action) => grants(r, action)),
      )
      .map((r) => `${r.definition.roleName} at ${r.scope}`);
    const fixes = rolesToGrant(missing, input.definitions).map((role) => {
      const keyOnly = missing
        .filter((action) => effectiveActions(role.dataActions, role.notDataActions).has(action))
        .every(isKeyAction);
      return assignCommand(
        input.hsmName,
        role.roleName,
        keyOnly ? "/keys" : "/",
        input.principalId,
      );
    });
    if (!holdsRole && capability.role)
      fixes.push(assignCommand(input.hsmName, capability.role.name, "/", input.principalId));
    return {
      capability,
      missing: holdsRole ? missing : [...missing, capability.role!.name],
      grantedBy: [...new Set(grantedBy)],
      fixes,
    };
  });
}
