import { hasAny, LIFECYCLE_ACTIONS, MANAGE_ACTIONS, USE_ACTIONS } from "@/lib/access/actions";
import { BUILT_IN_ROLES, isHsmWide, principalOf, type Grant } from "@/lib/access/model";
import { conflicts, findingPrincipal, fromGrants, via } from "@/lib/sod/rules/shared";
import type { FindingDraft, Rule, RuleContext } from "@/lib/sod/types";

/* Rules about what one principal can do: duties that should sit in different hands. */

const manages = (g: Grant) => hasAny(g.actions, MANAGE_ACTIONS);
const uses = (g: Grant) => hasAny(g.actions, USE_ACTIONS);
const cryptographic = (g: Grant) =>
  hasAny(g.actions, USE_ACTIONS) ||
  hasAny(g.actions, LIFECYCLE_ACTIONS) ||
  [...g.actions].some(
    (a) => a.startsWith("keys/deletedKeys/") && a !== "keys/deletedKeys/read/action",
  ) ||
  g.actions.has("keys/export/action");
const grantsRoles = (g: Grant) =>
  g.assignment.roleDefinitionId === BUILT_IN_ROLES.administrator ||
  g.assignment.roleDefinitionId === BUILT_IN_ROLES.policyAdministrator ||
  (g.actions.has("roleAssignments/write/action") &&
    g.assignment.roleDefinitionId !== BUILT_IN_ROLES.cryptoOfficer);

function pairFindings(
  context: RuleContext,
  isA: (g: Grant) => boolean,
  isB: (g: Grant) => boolean,
  describe: (label: string, a: Grant[], b: Grant[]) => string,
  options?: { overlap: boolean },
): FindingDraft[] {
  return conflicts(context, isA, isB, options).map(({ principalId, hsm, a, b }) => {
    const principal = findingPrincipal(context.model, principalId);
    const grants = [...new Set([...a, ...b])];
    return {
      id: `${hsm}:${principalId}`,
      hsm,
      summary: `${describe(principal.label, a, b)}${via(context.model, grants)}.`,
      principals: [principal],
      ...fromGrants(grants),
    };
  });
}

const roleList = (grants: Grant[]) => [...new Set(grants.map((g) => g.roleName))].join(", ");

export const manageAndUse: Rule = {
  id: "manage-and-use",
  title: "Manages keys and uses them",
  defaultSeverity: "high",
  why: "Microsoft's guidance for Managed HSM: keep separation of duties and avoid several roles in the same hands. Whoever can recover, purge, export or re-grant a key should not also encrypt, decrypt or sign with it.",
  fix: "Split the duties: keep the Crypto Officer-type role with the key team and give the usage role (Crypto User, Service Encryption User) to the workload alone, at the key's scope.",
  evaluate: (context) =>
    pairFindings(
      context,
      manages,
      uses,
      (label, a, b) =>
        `${label} can manage keys (${roleList(a)}) and use the same keys (${roleList(b)})`,
    ),
};

export const grantAndCrypto: Rule = {
  id: "grant-and-crypto",
  title: "Grants roles and holds a cryptographic role",
  defaultSeverity: "critical",
  why: "An Administrator or Policy Administrator can assign any role, including to itself; together with a cryptographic role nothing stands between one person and every key.",
  fix: "Remove the cryptographic role from principals that can grant roles; administrators should hold no key roles, and key users should not be able to assign roles.",
  evaluate: (context) =>
    pairFindings(
      context,
      grantsRoles,
      (g) => cryptographic(g) && !grantsRoles(g),
      (label, a, b) => `${label} can grant roles (${roleList(a)}) and holds ${roleList(b)}`,
    ),
};

export const backupAndRestore: Rule = {
  id: "backup-and-restore",
  title: "Backup and restore in the same hands",
  defaultSeverity: "medium",
  why: "Whoever can both take a full backup and restore one can roll an HSM back to an older state (old keys, old role assignments) without a second person.",
  fix: "Give Managed HSM Backup and Managed HSM Restore to different groups; restore belongs to a break-glass procedure.",
  evaluate: (context) => {
    const notAdmin = (g: Grant) => g.assignment.roleDefinitionId !== BUILT_IN_ROLES.administrator;
    return pairFindings(
      context,
      (g) => notAdmin(g) && g.actions.has("backup/start/action"),
      (g) => notAdmin(g) && g.actions.has("restore/start/action"),
      (label, a, b) =>
        `${label} can start a full backup (${roleList(a)}) and a restore (${roleList(b)})`,
      { overlap: false },
    );
  },
};

export const hsmWideUsage: Rule = {
  id: "hsm-wide-usage",
  title: "Usage role on the whole HSM where a key scope would do",
  defaultSeverity: "medium",
  why: "Least privilege and per-key role assignments: a workload should reach the keys it uses, not every key in the HSM.",
  fix: "Replace the assignment at / or /keys with assignments at /keys/{name} for the keys the application uses.",
  evaluate: (context) => {
    const findings: FindingDraft[] = [];
    for (const [principalId, grants] of context.grants) {
      if (principalOf(context.model, principalId).kind !== "servicePrincipal") continue;
      const wide = grants.filter((g) => isHsmWide(g.assignment.scope) && uses(g));
      for (const hsm of new Set(wide.map((g) => g.assignment.hsm))) {
        const onHsm = wide.filter((g) => g.assignment.hsm === hsm);
        const principal = findingPrincipal(context.model, principalId);
        findings.push({
          id: `${hsm}:${principalId}`,
          hsm,
          summary: `Service principal ${principal.label} can use every key in ${hsm} (${roleList(onHsm)} at ${[...new Set(onHsm.map((g) => g.assignment.scope))].join(", ")})${via(context.model, onHsm)}.`,
          principals: [principal],
          ...fromGrants(onHsm),
        });
      }
    }
    return findings;
  },
};

export const severalRoles: Rule = {
  id: "several-roles",
  title: "Several roles held by one principal",
  defaultSeverity: "low",
  why: "Microsoft's guidance for Managed HSM: to maintain separation of duties, avoid assigning multiple roles to the same principals.",
  fix: "Keep one role per principal; where a principal needs more, make a precise custom role or split the work between identities.",
  evaluate: (context) => {
    const findings: FindingDraft[] = [];
    for (const [principalId, grants] of context.grants) {
      const direct = grants.filter((g) => g.viaGroupId === null);
      for (const hsm of new Set(direct.map((g) => g.assignment.hsm))) {
        const onHsm = direct.filter((g) => g.assignment.hsm === hsm);
        const roles = new Set(onHsm.map((g) => g.assignment.roleDefinitionId));
        if (roles.size < 2) continue;
        const principal = findingPrincipal(context.model, principalId);
        findings.push({
          id: `${hsm}:${principalId}`,
          hsm,
          summary: `${principal.label} holds ${roles.size} roles on ${hsm}: ${roleList(onHsm)}.`,
          principals: [principal],
          ...fromGrants(onHsm),
        });
      }
    }
    return findings;
  },
};
