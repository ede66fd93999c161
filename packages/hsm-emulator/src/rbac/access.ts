import type { EmulatorDb } from "../store/database";
import * as store from "../store/rbac";
import {
  BUILT_IN_ROLE_IDS,
  BUILT_IN_ROLES,
  roleDefinitionId,
  type RoleDefinition,
} from "./builtin-roles";
import { isAllowed, type Assignment, type Caller } from "./evaluate";

/**
 * The role assignments and definitions of one HSM, cached in memory for the check that runs on
 * every call, and dropped whenever they change.
 */
export function createAccess(db: EmulatorDb, hsm: string) {
  let assignments: Assignment[] | undefined;
  let roles: Map<string, RoleDefinition> | undefined;

  function roleMap(): Map<string, RoleDefinition> {
    if (!roles) {
      const all = [...BUILT_IN_ROLES, ...store.listCustomRoles(db, hsm)];
      roles = new Map(all.map((role) => [role.name.toLowerCase(), role]));
    }
    return roles;
  }

  const access = {
    assignments(): Assignment[] {
      assignments ??= store.listAssignments(db, hsm);
      return assignments;
    },
    roles(): RoleDefinition[] {
      return [...roleMap().values()];
    },
    /** A role by its GUID or full id (`Microsoft.KeyVault/providers/…/roleDefinitions/{guid}`). */
    role(idOrName: string): RoleDefinition | undefined {
      const guid = idOrName.split("/").filter(Boolean).at(-1) ?? "";
      return roleMap().get(guid.toLowerCase());
    },
    allows(caller: Caller, action: string, keyName: string | null): boolean {
      return isAllowed(access.assignments(), (id) => access.role(id), caller, action, keyName);
    },
    /** Holds the Managed HSM Administrator role HSM-wide (settings are administrator-only). */
    isAdministrator(caller: Caller): boolean {
      const principals = new Set([caller.oid, ...caller.groups].map((p) => p.toLowerCase()));
      const administrator = roleDefinitionId(BUILT_IN_ROLE_IDS.administrator).toLowerCase();
      return access
        .assignments()
        .some(
          (a) =>
            principals.has(a.principalId.toLowerCase()) &&
            (a.scope === "/" || a.scope === "/keys") &&
            a.roleDefinitionId.toLowerCase() === administrator,
        );
    },
    invalidate(): void {
      assignments = undefined;
      roles = undefined;
    },
  };
  return access;
}

export type Access = ReturnType<typeof createAccess>;
