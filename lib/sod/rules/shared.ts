import {
  isHsmWide,
  keyOfScope,
  principalLabel,
  principalOf,
  scopesOverlap,
  type AccessModel,
  type Grant,
} from "@/lib/access/model";
import type { FindingDraft, FindingPrincipal, RuleContext } from "@/lib/sod/types";

export function findingPrincipal(model: AccessModel, id: string): FindingPrincipal {
  const principal = principalOf(model, id);
  return { id, label: principalLabel(principal), kind: principal.kind };
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

/** The parts of a finding that follow from the grants behind it. */
export function fromGrants(
  grants: readonly Grant[],
): Pick<FindingDraft, "roles" | "scopes" | "keys" | "assignmentNames"> {
  const scopes = unique(grants.map((g) => g.assignment.scope)).sort();
  const all = scopes.some(isHsmWide);
  return {
    roles: unique(grants.map((g) => g.roleName)).sort(),
    scopes,
    keys: {
      all,
      names: all ? [] : unique(scopes.map(keyOfScope).filter((k): k is string => k !== null)),
    },
    assignmentNames: unique(grants.map((g) => g.assignment.name)).sort(),
  };
}

export function via(model: AccessModel, grants: readonly Grant[]): string {
  const groups = unique(grants.map((g) => g.viaGroupId).filter((g): g is string => g !== null));
  if (groups.length === 0) return "";
  return ` (through ${groups.map((g) => findingPrincipal(model, g).label).join(", ")})`;
}

/**
 * Per principal and HSM, the grants of kind A and of kind B on overlapping scopes. A member
 * whose conflicting grants all come through one group is left to that group's own finding.
 */
export function conflicts(
  context: RuleContext,
  isA: (grant: Grant) => boolean,
  isB: (grant: Grant) => boolean,
  options: { overlap: boolean } = { overlap: true },
): { principalId: string; hsm: string; a: Grant[]; b: Grant[] }[] {
  const result: { principalId: string; hsm: string; a: Grant[]; b: Grant[] }[] = [];
  for (const [principalId, grants] of context.grants) {
    const hsms = unique(grants.map((g) => g.assignment.hsm));
    for (const hsm of hsms) {
      const onHsm = grants.filter((g) => g.assignment.hsm === hsm);
      const a = new Set<Grant>();
      const b = new Set<Grant>();
      for (const first of onHsm.filter(isA))
        for (const second of onHsm.filter(isB))
          if (!options.overlap || scopesOverlap(first.assignment.scope, second.assignment.scope)) {
            a.add(first);
            b.add(second);
          }
      if (a.size === 0) continue;
      const groups = unique([...a, ...b].map((g) => g.viaGroupId));
      if (groups.length === 1 && groups[0] !== null) continue;
      result.push({ principalId, hsm, a: [...a], b: [...b] });
    }
  }
  return result;
}

/** Principals (not groups with known members) expanded from assignments, for counting people. */
export function holders(context: RuleContext, grants: readonly Grant[]): string[] {
  const ids = new Set<string>();
  for (const grant of grants) {
    const members = context.model.groupMembers.get(grant.assignment.principalId);
    const target = grant.viaGroupId === null ? grant.assignment.principalId : null;
    if (target === null) continue;
    const kind = principalOf(context.model, target).kind;
    if (kind === "group" && members) {
      for (const member of members)
        if (principalOf(context.model, member).kind !== "group") ids.add(member);
    } else if (principalOf(context.model, target).status !== "missing") ids.add(target);
  }
  return [...ids].sort();
}
