import { principalOf, type Grant } from "@/lib/access/model";
import { count } from "@/lib/format/count";
import { findingPrincipal, fromGrants, via } from "@/lib/sod/rules/shared";
import type { FindingDraft, Rule } from "@/lib/sod/types";

/* Rules about who the principals are: gone, guests, or holding conflicting portal roles. */

export const orphanOrGuest: Rule = {
  id: "orphan-or-guest",
  title: "Assignment to a deleted principal or a guest",
  defaultSeverity: "high",
  why: "An assignment whose principal was deleted is dead weight that hides real access in reviews (and an id can be reused by a restored object); guests are outside the organisation's joiner-mover-leaver process.",
  fix: "Remove assignments of deleted principals; give guests access through a reviewed group with an expiry, or not at all.",
  evaluate: (context) => {
    const findings: FindingDraft[] = [];
    for (const [principalId, grants] of context.grants) {
      const principal = principalOf(context.model, principalId);
      const missing = principal.status === "missing";
      if (!missing && !(principal.kind === "user" && principal.guest)) continue;
      const relevant = missing ? grants.filter((g: Grant) => g.viaGroupId === null) : grants;
      for (const hsm of new Set(relevant.map((g) => g.assignment.hsm))) {
        const onHsm = relevant.filter((g) => g.assignment.hsm === hsm);
        const label = findingPrincipal(context.model, principalId);
        findings.push({
          id: `${hsm}:${principalId}`,
          hsm,
          summary: missing
            ? `${count(onHsm.length, "assignment")} on ${hsm} ${onHsm.length === 1 ? "names" : "name"} principal ${principalId}, which no longer exists in the directory.`
            : `Guest user ${label.label} holds ${[...new Set(onHsm.map((g) => g.roleName))].join(", ")} on ${hsm}${via(context.model, onHsm)}.`,
          principals: [label],
          ...fromGrants(onHsm),
        });
      }
    }
    return findings;
  },
};

export const keyadminAndApprover: Rule = {
  id: "keyadmin-and-approver",
  title: "Key administrator and approver in one person",
  defaultSeverity: "high",
  why: "Keyward's four-eyes principle: whoever files changes (KeyAdmin) should not also approve changes; the portal never lets anyone approve their own request, but a person with both roles approves their colleagues' changes to keys they administer.",
  fix: "Remove the person from either the Keyward.KeyAdmin or the Keyward.Approver app role (directly or through the group that carries it).",
  evaluate: (context) => {
    const byPerson = new Map<string, Map<string, string | null>>();
    for (const holder of context.model.portalRoleHolders) {
      const roles = byPerson.get(holder.principalId) ?? new Map<string, string | null>();
      if (!roles.has(holder.role) || holder.viaGroupId === null)
        roles.set(holder.role, holder.viaGroupId);
      byPerson.set(holder.principalId, roles);
    }
    const findings: FindingDraft[] = [];
    for (const [personId, roles] of byPerson) {
      if (!roles.has("Keyward.KeyAdmin") || !roles.has("Keyward.Approver")) continue;
      const person = findingPrincipal(context.model, personId);
      const how = (role: string) => {
        const group = roles.get(role);
        return group
          ? `${role} through ${findingPrincipal(context.model, group).label}`
          : `${role} directly`;
      };
      findings.push({
        id: `portal:${personId}`,
        hsm: null,
        summary: `${person.label} holds ${how("Keyward.KeyAdmin")} and ${how("Keyward.Approver")}.`,
        principals: [person],
        roles: ["Keyward.KeyAdmin", "Keyward.Approver"],
        scopes: [],
        keys: { all: false, names: [] },
        assignmentNames: [],
      });
    }
    return findings;
  },
};
