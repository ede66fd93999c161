import "server-only";

import { hsmCall } from "@/lib/hsm/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import type { CallProfile } from "@/lib/hsm/keys";
import type { RoleAssignmentInfo, RoleDefinitionInfo } from "@/lib/hsm/types";

/*
 * Role assignments and definitions. A list with $filter=atScope() returns the assignments at the
 * scope and above it (the documented behaviour), so the results are narrowed to the scope asked
 * for; "/" and "/keys" are both read for the HSM-wide ones.
 */

/** A role assignment as the HSM sends it. */
export interface WireAssignment {
  name: string;
  properties: { scope: string; roleDefinitionId: string; principalId: string };
}

/** A role definition as the HSM sends it. */
export interface WireDefinition {
  name: string;
  properties: {
    roleName: string;
    type: string;
    description?: string;
    permissions: { dataActions?: string[]; notDataActions?: string[] }[];
  };
}

/** "/", "/keys" or "/keys/{name}" with the key name lower-cased (key names ignore case). */
export function normaliseScope(scope: string): string {
  const trimmed = `/${scope.split("/").filter(Boolean).join("/")}`;
  const key = /^\/keys\/(.+)$/i.exec(trimmed)?.[1];
  if (key) return `/keys/${key.toLowerCase()}`;
  return trimmed.toLowerCase() === "/keys" ? "/keys" : trimmed;
}

const guidOf = (id: string) => id.split("/").at(-1) ?? id;

/** Normalised: the scope through normaliseScope, every GUID lower-cased. */
export function assignmentInfo(wire: WireAssignment): RoleAssignmentInfo {
  return {
    name: wire.name.toLowerCase(),
    scope: normaliseScope(wire.properties.scope),
    roleDefinitionId: guidOf(wire.properties.roleDefinitionId).toLowerCase(),
    principalId: wire.properties.principalId.toLowerCase(),
  };
}

export function definitionInfo(wire: WireDefinition): RoleDefinitionInfo {
  return {
    id: wire.name.toLowerCase(),
    roleName: wire.properties.roleName,
    roleType: wire.properties.type,
    description: wire.properties.description ?? "",
    dataActions: wire.properties.permissions.flatMap((p) => p.dataActions ?? []),
    notDataActions: wire.properties.permissions.flatMap((p) => p.notDataActions ?? []),
  };
}

async function listAt(
  handle: HsmHandle,
  scope: string,
  profile: CallProfile,
): Promise<RoleAssignmentInfo[]> {
  const wanted = normaliseScope(scope);
  const listed = await handle[profile].admin.listRoleAssignments<WireAssignment>(
    scope,
    "atScope()",
  );
  return listed.map(assignmentInfo).filter((assignment) => assignment.scope === wanted);
}

/** Assignments at "/" and "/keys": they reach every key. */
export function listHsmWideAssignments(
  handle: HsmHandle,
  profile: CallProfile,
): Promise<RoleAssignmentInfo[]> {
  return hsmCall(handle.name, "list the HSM-wide role assignments", async () => {
    const [root, keys] = await Promise.all([
      listAt(handle, "/", profile),
      listAt(handle, "/keys", profile),
    ]);
    const byName = new Map([...root, ...keys].map((a) => [a.name, a]));
    return [...byName.values()];
  });
}

/** Assignments at one key's own scope. */
export function listKeyAssignments(
  handle: HsmHandle,
  keyName: string,
  profile: CallProfile,
): Promise<RoleAssignmentInfo[]> {
  return hsmCall(handle.name, `list the role assignments of key ${keyName}`, () =>
    listAt(handle, `/keys/${keyName}`, profile),
  );
}

export function listRoleDefinitions(
  handle: HsmHandle,
  profile: CallProfile,
): Promise<RoleDefinitionInfo[]> {
  return hsmCall(handle.name, "list role definitions", async () =>
    (await handle[profile].admin.listRoleDefinitions<WireDefinition>("/")).map(definitionInfo),
  );
}

/** "activated", "not activated" or "unknown" (the portal's identity may not read it). */
export async function securityDomainStatus(
  handle: HsmHandle,
): Promise<"activated" | "pending" | "unknown"> {
  try {
    const { body } = await handle.background.admin.getSecurityDomainStatus<{ status?: string }>();
    if (body.status === "Success") return "activated";
    return body.status === "InProgress" ? "pending" : "unknown";
  } catch {
    return "unknown";
  }
}
