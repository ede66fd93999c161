import "server-only";

import { AppError } from "@/lib/errors";
import { hsmCall, nullIfNotFound } from "@/lib/hsm/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import type { CallProfile } from "@/lib/hsm/keys";
import {
  assignmentInfo,
  definitionInfo,
  normaliseScope,
  type WireAssignment,
  type WireDefinition,
} from "@/lib/hsm/role-assignments";
import type {
  CustomRoleDefinition,
  NewRoleAssignment,
  RoleAssignmentInfo,
  RoleDefinitionInfo,
} from "@/lib/hsm/types";
import { isGuid, roleScope } from "@/lib/validation/primitives";

/*
 * Writes to the HSM's local RBAC, for the change-request executor: role assignments at "/",
 * "/keys" or "/keys/{name}", and custom role definitions (at "/" only). Names are GUIDs chosen by
 * the caller, so that after an unknown outcome it can look the assignment up by name. Scopes and
 * GUIDs are checked here because the admin client puts them into the URL path as they are.
 */

function checkedScope(hsm: string, scope: string): string {
  const normalised = normaliseScope(scope);
  if (!roleScope.safeParse(normalised).success)
    throw new AppError(
      "bad_request",
      `HSM ${hsm}: the scope ${JSON.stringify(scope)} is not "/", "/keys" or "/keys/{key name}".`,
    );
  return normalised;
}

function checkedGuid(hsm: string, what: string, value: string): string {
  if (!isGuid(value))
    throw new AppError(
      "bad_request",
      `HSM ${hsm}: the ${what} ${JSON.stringify(value)} is not a GUID.`,
    );
  return value.toLowerCase();
}

/** Assigns a role to a principal at a scope, under the caller's GUID. */
export function createRoleAssignment(
  handle: HsmHandle,
  a: NewRoleAssignment,
): Promise<RoleAssignmentInfo> {
  return hsmCall(handle.name, `assign role ${a.roleDefinitionId} at ${a.scope}`, async () => {
    const scope = checkedScope(handle.name, a.scope);
    const { body } = await handle.background.admin.createRoleAssignment<WireAssignment>(
      scope,
      checkedGuid(handle.name, "role definition id", a.roleDefinitionId),
      checkedGuid(handle.name, "principal id", a.principalId),
      checkedGuid(handle.name, "role assignment name", a.name),
    );
    return assignmentInfo(body);
  });
}

export function deleteRoleAssignment(
  handle: HsmHandle,
  scope: string,
  name: string,
): Promise<void> {
  return hsmCall(handle.name, `delete role assignment ${name} at ${scope}`, async () => {
    await handle.background.admin.deleteRoleAssignment(
      checkedScope(handle.name, scope),
      checkedGuid(handle.name, "role assignment name", name),
    );
  });
}

/** The assignment of that name at that scope, or null when there is none. */
export function findRoleAssignment(
  handle: HsmHandle,
  scope: string,
  name: string,
  profile: CallProfile,
): Promise<RoleAssignmentInfo | null> {
  return nullIfNotFound(
    hsmCall(handle.name, `read role assignment ${name} at ${scope}`, async () => {
      const { body } = await handle[profile].admin.getRoleAssignment<WireAssignment>(
        checkedScope(handle.name, scope),
        checkedGuid(handle.name, "role assignment name", name),
      );
      return assignmentInfo(body);
    }),
  );
}

/** Creates a custom role, or replaces the one with that GUID. */
export function upsertRoleDefinition(
  handle: HsmHandle,
  d: CustomRoleDefinition,
): Promise<RoleDefinitionInfo> {
  return hsmCall(handle.name, `save role definition ${d.roleName}`, async () => {
    const { body } = await handle.background.admin.putCustomRole<WireDefinition>(
      checkedGuid(handle.name, "role definition name", d.name),
      {
        roleName: d.roleName,
        description: d.description,
        dataActions: d.dataActions,
        notDataActions: d.notDataActions,
      },
    );
    return definitionInfo(body);
  });
}

/** Deletes a custom role; the HSM refuses built-in roles and roles still assigned. */
export function deleteRoleDefinition(handle: HsmHandle, name: string): Promise<void> {
  return hsmCall(handle.name, `delete role definition ${name}`, async () => {
    await handle.background.admin.deleteRoleDefinition(
      checkedGuid(handle.name, "role definition name", name),
    );
  });
}

/** The role definition (built-in or custom) with that GUID, or null when there is none. */
export function findRoleDefinition(
  handle: HsmHandle,
  name: string,
  profile: CallProfile,
): Promise<RoleDefinitionInfo | null> {
  return nullIfNotFound(
    hsmCall(handle.name, `read role definition ${name}`, async () => {
      const { body } = await handle[profile].admin.getRoleDefinition<WireDefinition>(
        checkedGuid(handle.name, "role definition name", name),
      );
      return definitionInfo(body);
    }),
  );
}
