import "server-only";

import { z } from "zod";

import type { TokenSource } from "@/lib/auth/credentials";
import { AppError } from "@/lib/errors";
import type { HttpsRequest } from "@/lib/net/https-client";

/*
 * The few Microsoft Graph v1.0 calls the directory cache needs, with the portal's application
 * identity (Directory.Read.All): names and kinds by id, transitive group members, and who holds
 * the portal's app roles. The same requests go to Graph in azure mode and to the local identity
 * provider's Graph-shaped API in local mode.
 */

const GET_BY_IDS_LIMIT = 1000;
const MAX_PAGES = 200;

const graphObject = z
  .object({
    "@odata.type": z.string().optional(),
    id: z.string(),
    displayName: z.string().nullish(),
    userPrincipalName: z.string().nullish(),
    appId: z.string().nullish(),
    userType: z.string().nullish(),
  })
  .passthrough();
export type GraphObject = z.infer<typeof graphObject>;

const collection = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ value: z.array(item), "@odata.nextLink": z.string().optional() });

const appRoleAssignment = z.object({
  appRoleId: z.string(),
  principalId: z.string(),
  principalType: z.string(),
});

const servicePrincipal = graphObject.extend({
  appRoles: z
    .array(
      z.object({
        id: z.string(),
        value: z.string().nullish(),
        isEnabled: z.boolean().default(true),
      }),
    )
    .default([]),
});

export type GraphKind = "user" | "group" | "servicePrincipal";

export function kindOf(object: GraphObject): GraphKind | null {
  const type = object["@odata.type"] ?? "";
  if (type.endsWith(".user")) return "user";
  if (type.endsWith(".group")) return "group";
  if (type.endsWith(".servicePrincipal")) return "servicePrincipal";
  return null;
}

export interface GraphClient {
  getByIds(ids: readonly string[]): Promise<GraphObject[]>;
  /** Every member of a group through nested groups, or null when the group does not exist. */
  transitiveMembers(groupId: string): Promise<GraphObject[] | null>;
  directMembers(groupId: string): Promise<GraphObject[] | null>;
  /** Service principals whose display name starts with `prefix` (case-insensitive), at most `top`. */
  servicePrincipalsStartingWith(prefix: string, top: number): Promise<GraphObject[]>;
  /** The values of the app roles an application defines, or null when it has no service principal. */
  appRoleValues(appId: string): Promise<string[] | null>;
  /** The users and groups holding an application's app roles, with the role values. */
  appRoleHolders(
    appId: string,
  ): Promise<{ principalId: string; principalType: string; role: string }[]>;
}

export function createGraphClient(options: {
  /** Where Graph's v1.0 API is: `${resource}/v1.0` for Microsoft Graph. */
  baseUrl: string;
  /** The resource its tokens are for: Microsoft Graph's origin in the portal's cloud. */
  resource: string;
  request: HttpsRequest;
  tokens: TokenSource;
}): GraphClient {
  const { baseUrl, resource, request, tokens } = options;

  async function call(method: "GET" | "POST", url: string, body?: unknown) {
    const token = await tokens.getToken(`${resource}/.default`);
    if (!token) throw new AppError("upstream_failed", "No token for Microsoft Graph.");
    const response = await request(method, url, {
      headers: {
        authorization: `Bearer ${token.token}`,
        accept: "application/json",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status === 404) return null;
    if (response.status !== 200) {
      const message = /"message"\s*:\s*"([^"]{0,300})"/.exec(response.text)?.[1];
      throw new AppError(
        "upstream_failed",
        `The directory answered ${response.status} to ${method} ${new URL(url).pathname}${message ? `: ${message}` : "."}`,
      );
    }
    return JSON.parse(response.text) as unknown;
  }

  async function all<T extends z.ZodTypeAny>(path: string, item: T): Promise<z.infer<T>[] | null> {
    const items: z.infer<T>[] = [];
    let url: string | undefined = `${baseUrl}${path}`;
    for (let pages = 0; url && pages < MAX_PAGES; pages += 1) {
      const body = await call("GET", url);
      if (body === null) return pages === 0 ? null : items;
      const parsed = collection(item).parse(body);
      items.push(...(parsed.value as z.infer<T>[]));
      url = parsed["@odata.nextLink"];
    }
    return items;
  }

  async function servicePrincipalOf(appId: string) {
    const body = await call(
      "GET",
      `${baseUrl}/servicePrincipals(appId='${encodeURIComponent(appId)}')`,
    );
    return body === null ? null : servicePrincipal.parse(body);
  }

  return {
    async getByIds(ids) {
      const found: GraphObject[] = [];
      for (let i = 0; i < ids.length; i += GET_BY_IDS_LIMIT) {
        const body = await call("POST", `${baseUrl}/directoryObjects/getByIds`, {
          ids: ids.slice(i, i + GET_BY_IDS_LIMIT),
          types: ["user", "group", "servicePrincipal"],
        });
        if (body) found.push(...collection(graphObject).parse(body).value);
      }
      return found;
    },
    async servicePrincipalsStartingWith(prefix, top) {
      const filter = `startswith(displayName,'${prefix.replace(/'/g, "''")}')`;
      const body = await call(
        "GET",
        `${baseUrl}/servicePrincipals?$filter=${encodeURIComponent(filter)}&$top=${top}`,
      );
      return body ? collection(graphObject).parse(body).value.slice(0, top) : [];
    },
    transitiveMembers: (groupId) =>
      all(`/groups/${encodeURIComponent(groupId)}/transitiveMembers?$top=100`, graphObject),
    directMembers: (groupId) =>
      all(`/groups/${encodeURIComponent(groupId)}/members?$top=100`, graphObject),
    async appRoleValues(appId) {
      const sp = await servicePrincipalOf(appId);
      // A disabled role is not assigned in tokens: it counts as missing.
      return sp
        ? sp.appRoles.flatMap((role) => (role.value && role.isEnabled ? [role.value] : []))
        : null;
    },
    async appRoleHolders(appId) {
      const sp = await servicePrincipalOf(appId);
      if (sp === null) return [];
      const { id, appRoles } = sp;
      const values = new Map(appRoles.map((role) => [role.id, role.value ?? role.id]));
      const assignments =
        (await all(
          `/servicePrincipals/${encodeURIComponent(id)}/appRoleAssignedTo?$top=100`,
          appRoleAssignment,
        )) ?? [];
      return assignments.map((a) => ({
        principalId: a.principalId,
        principalType: a.principalType,
        role: values.get(a.appRoleId) ?? a.appRoleId,
      }));
    },
  };
}
