import { principalLabel, type AccessModel, type PrincipalKind } from "@/lib/access/model";
import { pickablePrincipals } from "@/lib/access/views";

/*
 * What the grant form offers, as plain data for a client component: the HSMs a role can be
 * granted on with their roles, and the principals the portal knows. Pure.
 */

export interface RoleChoice {
  id: string;
  roleName: string;
  custom: boolean;
}

export interface HsmChoice {
  name: string;
  /** Built-in roles first, then custom ones, each by name. */
  roles: RoleChoice[];
}

export interface PrincipalChoice {
  id: string;
  label: string;
  kind: PrincipalKind;
  /** User principal name or application id. */
  detail: string | null;
}

export interface GrantChoices {
  hsms: HsmChoice[];
  principals: PrincipalChoice[];
}

/**
 * The configured HSMs that have role definitions in the mirror (a role is granted by its
 * definition), and everyone an assignment names or an assigned group holds, except principals
 * the directory says are gone: a grant to them would only add an orphaned assignment.
 */
export function grantChoicesOf(model: AccessModel, configured: readonly string[]): GrantChoices {
  const hsms = configured
    .map((name) => ({
      name,
      roles: model.roles
        .filter((role) => role.hsm === name)
        .map((role) => ({
          id: role.id,
          roleName: role.roleName,
          custom: role.roleType === "CustomRole",
        }))
        .sort(
          (a, b) => Number(a.custom) - Number(b.custom) || a.roleName.localeCompare(b.roleName),
        ),
    }))
    .filter((hsm) => hsm.roles.length > 0);
  const principals = pickablePrincipals(model)
    .filter((p) => p.status !== "missing")
    .map((p) => ({ id: p.id, label: principalLabel(p), kind: p.kind, detail: p.detail }));
  return { hsms, principals };
}
