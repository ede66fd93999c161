import { z } from "zod";

import { guid } from "../config";
import { badParameter, conflict, HsmError } from "../errors";
import { ok } from "../http/response";
import type { Params, Route, RouteContext } from "../http/router";
import { isBuiltInRole, roleDefinitionId, type RoleDefinition } from "../rbac/builtin-roles";
import { ACTIONS, ALL_DATA_ACTIONS } from "../rbac/data-actions";
import { normaliseScope, type Assignment } from "../rbac/evaluate";
import { isHsmWide, listAssignments, parseAssignmentFilter } from "../rbac/listing";
import * as store from "../store/rbac";
import { parseBody } from "./keys";

/*
 * Local RBAC: role assignments at "/", "/keys" and "/keys/{name}", and role definitions (built-in
 * and custom) at "/". Limits: 50 assignments HSM-wide, 10 per key, 50 custom roles.
 */

const MAX_HSM_ASSIGNMENTS = 50;
const MAX_KEY_ASSIGNMENTS = 10;
const MAX_CUSTOM_ROLES = 50;
const PROVIDER = "providers/Microsoft.Authorization";

/** Matches `{scope}/providers/Microsoft.Authorization/{kind}[/{name}]`, whatever the scope's slashes. */
function rbacPath(kind: "roleAssignments" | "roleDefinitions", withName: boolean) {
  return (segments: string[]): Params | null => {
    const at = segments.findIndex(
      (s, i) =>
        s.toLowerCase() === "providers" &&
        segments[i + 1]?.toLowerCase() === "microsoft.authorization",
    );
    if (at < 0 || segments[at + 2]?.toLowerCase() !== kind.toLowerCase()) return null;
    if (segments.length !== at + (withName ? 4 : 3)) return null;
    const scope = normaliseScope(`/${segments.slice(0, at).join("/")}`);
    if (scope === null) return null;
    return { scope, ...(withName ? { name: segments[at + 3]!.toLowerCase() } : {}) };
  };
}

const keyOfScope = (params: Params) =>
  params.scope?.startsWith("/keys/") ? params.scope.slice(6) : null;

function assignmentBody(a: Assignment) {
  const prefix = a.scope === "/" ? "" : a.scope;
  return {
    id: `${prefix}/${PROVIDER}/roleAssignments/${a.name}`,
    name: a.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope: a.scope,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
    },
  };
}

function definitionBody(role: RoleDefinition) {
  return {
    id: roleDefinitionId(role.name),
    name: role.name,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: role.properties,
  };
}

function assignmentOrThrow({ ctx, params }: RouteContext): Assignment {
  const found = ctx.access
    .assignments()
    .find((a) => a.name === params.name && a.scope === params.scope);
  if (!found)
    throw new HsmError(
      404,
      "RoleAssignmentNotFound",
      `The role assignment ${params.name} does not exist at scope ${params.scope}.`,
    );
  return found;
}

const assignmentInput = z.object({
  properties: z.object({ roleDefinitionId: z.string().min(1), principalId: guid }),
});

const definitionInput = z.object({
  properties: z.object({
    roleName: z.string().min(1).max(512),
    description: z.string().max(1024).optional(),
    type: z.string().optional(),
    permissions: z
      .array(
        z.object({
          actions: z.array(z.string()).optional(),
          notActions: z.array(z.string()).optional(),
          dataActions: z.array(z.string()).default([]),
          notDataActions: z.array(z.string()).default([]),
        }),
      )
      .min(1),
    assignableScopes: z.array(z.string()).optional(),
  }),
});

function checkDataActions(actions: string[]) {
  const known = new Set(ALL_DATA_ACTIONS.map((a) => a.toLowerCase()));
  const unknown = actions.filter((a) => !known.has(a.toLowerCase()));
  if (unknown.length > 0) throw badParameter(`Unknown data action(s): ${unknown.join(", ")}.`);
}

export const rbacRoutes: Route[] = [
  {
    method: "GET",
    match: rbacPath("roleAssignments", false),
    operation: "RoleAssignmentList",
    opClass: "rbac",
    action: ACTIONS.roleAssignmentsRead,
    keyName: keyOfScope,
    handle: ({ ctx, params, request }) => {
      const filter = parseAssignmentFilter(request.query.get("$filter"));
      if (!filter)
        throw badParameter("The $filter is not supported: use atScope() or principalId eq '{id}'.");
      const value = listAssignments(ctx.access.assignments(), params.scope!, filter).map(
        assignmentBody,
      );
      return ok({ value, nextLink: null });
    },
  },
  {
    method: "GET",
    match: rbacPath("roleAssignments", true),
    operation: "RoleAssignmentGet",
    opClass: "rbac",
    action: ACTIONS.roleAssignmentsRead,
    keyName: keyOfScope,
    handle: (rc) => ok(assignmentBody(assignmentOrThrow(rc))),
  },
  {
    method: "PUT",
    match: rbacPath("roleAssignments", true),
    operation: "RoleAssignmentCreate",
    opClass: "rbac",
    action: ACTIONS.roleAssignmentsWrite,
    keyName: keyOfScope,
    handle: ({ ctx, params, request }) => {
      if (!guid.safeParse(params.name).success)
        throw badParameter("The role assignment name must be a GUID.");
      const { properties } = parseBody(assignmentInput, request.body);
      const role = ctx.access.role(properties.roleDefinitionId);
      if (!role)
        throw badParameter(`The role definition ${properties.roleDefinitionId} does not exist.`);
      const existing = ctx.access.assignments();
      if (existing.some((a) => a.name === params.name))
        throw conflict(`The role assignment ${params.name} already exists.`);
      const scope = params.scope!;
      const sameScope = existing.filter((a) =>
        isHsmWide(scope) ? isHsmWide(a.scope) : a.scope === scope,
      ).length;
      const limit = isHsmWide(scope) ? MAX_HSM_ASSIGNMENTS : MAX_KEY_ASSIGNMENTS;
      if (sameScope >= limit)
        throw badParameter(`Scope ${scope} already has ${limit} role assignments, the maximum.`);
      const assignment: Assignment = {
        name: params.name!,
        scope,
        roleDefinitionId: roleDefinitionId(role.name),
        principalId: properties.principalId.toLowerCase(),
      };
      store.insertAssignment(ctx.db, ctx.config.name, assignment, ctx.clock.now());
      ctx.access.invalidate();
      return { status: 201, body: assignmentBody(assignment) };
    },
  },
  {
    method: "DELETE",
    match: rbacPath("roleAssignments", true),
    operation: "RoleAssignmentDelete",
    opClass: "rbac",
    action: ACTIONS.roleAssignmentsDelete,
    keyName: keyOfScope,
    handle: (rc) => {
      const assignment = assignmentOrThrow(rc);
      store.deleteAssignment(rc.ctx.db, rc.ctx.config.name, assignment.name);
      rc.ctx.access.invalidate();
      return ok(assignmentBody(assignment));
    },
  },
  {
    method: "GET",
    match: rbacPath("roleDefinitions", false),
    operation: "RoleDefinitionList",
    opClass: "rbac",
    action: ACTIONS.roleDefinitionsRead,
    handle: ({ ctx, request }) => {
      const roleName = /roleName\s+eq\s+'([^']+)'/.exec(request.query.get("$filter") ?? "")?.[1];
      const roles = ctx.access
        .roles()
        .filter((r) => !roleName || r.properties.roleName.toLowerCase() === roleName.toLowerCase());
      return ok({ value: roles.map(definitionBody), nextLink: null });
    },
  },
  {
    method: "GET",
    match: rbacPath("roleDefinitions", true),
    operation: "RoleDefinitionGet",
    opClass: "rbac",
    action: ACTIONS.roleDefinitionsRead,
    handle: ({ ctx, params }) => {
      const role = ctx.access.role(params.name!);
      if (!role)
        throw new HsmError(
          404,
          "RoleDefinitionNotFound",
          `The role definition ${params.name} does not exist.`,
        );
      return ok(definitionBody(role));
    },
  },
  {
    method: "PUT",
    match: rbacPath("roleDefinitions", true),
    operation: "RoleDefinitionCreateOrUpdate",
    opClass: "rbac",
    action: ACTIONS.roleDefinitionsWrite,
    handle: ({ ctx, params, request }) => {
      if (params.scope !== "/")
        throw badParameter(
          "Role definitions exist only at scope '/'; Managed HSM only supports '/'.",
        );
      if (!guid.safeParse(params.name).success)
        throw badParameter("The role definition name must be a GUID.");
      if (isBuiltInRole(params.name!))
        throw badParameter(
          "Cannot re-use the name/GUID matching that of a built-in role. Please use a unique role ID.",
        );
      const { properties } = parseBody(definitionInput, request.body);
      checkDataActions(
        properties.permissions.flatMap((p) => [...p.dataActions, ...p.notDataActions]),
      );
      const custom = store.listCustomRoles(ctx.db, ctx.config.name);
      if (!custom.some((r) => r.name === params.name) && custom.length >= MAX_CUSTOM_ROLES)
        throw badParameter(
          `This HSM already has ${MAX_CUSTOM_ROLES} custom role definitions, the maximum.`,
        );
      const role: RoleDefinition = {
        name: params.name!,
        properties: {
          roleName: properties.roleName,
          description: properties.description ?? "",
          type: "CustomRole",
          permissions: properties.permissions.map((p) => ({
            actions: p.actions ?? [],
            notActions: p.notActions ?? [],
            dataActions: p.dataActions,
            notDataActions: p.notDataActions,
          })),
          assignableScopes: ["/"],
        },
      };
      store.upsertCustomRole(ctx.db, ctx.config.name, role.name, role.properties);
      ctx.access.invalidate();
      return { status: 201, body: definitionBody(role) };
    },
  },
  {
    method: "DELETE",
    match: rbacPath("roleDefinitions", true),
    operation: "RoleDefinitionDelete",
    opClass: "rbac",
    action: ACTIONS.roleDefinitionsDelete,
    handle: ({ ctx, params }) => {
      if (isBuiltInRole(params.name!))
        throw badParameter("Built-in role definitions cannot be deleted.");
      const role = ctx.access.role(params.name!);
      if (!role)
        throw new HsmError(
          404,
          "RoleDefinitionNotFound",
          `The role definition ${params.name} does not exist.`,
        );
      const used = ctx.access
        .assignments()
        .filter((a) => ctx.access.role(a.roleDefinitionId)?.name === role.name).length;
      if (used > 0)
        throw conflict(
          `The role definition is used by ${used} role assignment(s); delete them first.`,
        );
      store.deleteCustomRole(ctx.db, ctx.config.name, role.name);
      ctx.access.invalidate();
      return ok(definitionBody(role));
    },
  },
];
