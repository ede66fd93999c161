import type { IncomingMessage, ServerResponse } from "node:http";
import { jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";

import { GRAPH_RESOURCE } from "./constants";
import {
  findApplication,
  findObject,
  transitiveGroupsOf,
  transitiveMembersOf,
  type Directory,
  type DirectoryApplication,
  type DirectoryObject,
} from "./directory";

/*
 * A small subset of Microsoft Graph v1.0 over the demo directory, so that the portal's directory
 * code sends the same requests locally as it does to Graph in production. Callers need an app
 * token for https://graph.microsoft.com holding Directory.Read.All, as with Graph.
 */

export const GRAPH_BASE_PATH = "/graph";

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GraphError(400, "BadRequest", `Malformed percent-encoding in '${segment}'.`);
  }
}
const REQUIRED_ROLE = "Directory.Read.All";
const MAX_PAGE = 100;

export interface GraphOptions {
  directory: Directory;
  issuer: string;
  publicKeys: JWTVerifyGetKey;
}

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ODATA_TYPE = {
  user: "#microsoft.graph.user",
  group: "#microsoft.graph.group",
  servicePrincipal: "#microsoft.graph.servicePrincipal",
};

export function toGraphObject(
  entry: DirectoryObject,
  tenantDomain: string,
): Record<string, unknown> {
  const type = { "@odata.type": ODATA_TYPE[entry.kind] };
  if (entry.kind === "user") {
    const u = entry.object;
    return {
      ...type,
      id: u.id,
      displayName: u.displayName,
      userPrincipalName: u.userPrincipalName,
      mail: u.userPrincipalName,
      jobTitle: u.jobTitle ?? null,
      userType: u.userType,
      accountEnabled: u.accountEnabled,
    };
  }
  if (entry.kind === "group") {
    const g = entry.object;
    return {
      ...type,
      id: g.id,
      displayName: g.displayName,
      mailNickname: g.mailNickname,
      mail: `${g.mailNickname}@${tenantDomain}`,
      description: g.description,
      securityEnabled: true,
      mailEnabled: false,
    };
  }
  const a = entry.object;
  return {
    ...type,
    id: a.servicePrincipalId,
    appId: a.appId,
    displayName: a.displayName,
    servicePrincipalType: "Application",
    accountEnabled: true,
    appRoles: a.appRoles.map((role) => ({
      id: role.id,
      value: role.value,
      displayName: role.displayName,
      description: role.description,
      allowedMemberTypes: ["User"],
      isEnabled: true,
    })),
  };
}

/** Graph's appRoleAssignment objects for the users and groups holding the application's roles. */
function appRoleAssignedTo(
  directory: Directory,
  app: DirectoryApplication,
): Record<string, unknown>[] {
  const holders = [
    ...directory.users.map((u) => ({ ...u, principalType: "User" })),
    ...directory.groups.map((g) => ({ ...g, principalType: "Group" })),
  ];
  return holders.flatMap((holder) =>
    app.appRoles
      .filter((role) => holder.appRoles.includes(role.value))
      .map((role) => ({
        id: `${holder.id.slice(0, 8)}-${role.id.slice(0, 8)}`,
        appRoleId: role.id,
        principalId: holder.id,
        principalType: holder.principalType,
        principalDisplayName: holder.displayName,
        resourceId: app.servicePrincipalId,
        resourceDisplayName: app.displayName,
      })),
  );
}

const getByIdsBody = z.object({
  ids: z.array(z.string()).max(1000),
  types: z.array(z.enum(["user", "group", "servicePrincipal"])).optional(),
});

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new GraphError(400, "BadRequest", "The request body is not valid JSON.");
  }
}

function page(url: URL, items: Record<string, unknown>[]): Record<string, unknown> {
  const top = Math.min(Number(url.searchParams.get("$top") ?? MAX_PAGE) || MAX_PAGE, MAX_PAGE);
  const skip = Number(url.searchParams.get("$skiptoken") ?? 0) || 0;
  const slice = items.slice(skip, skip + top);
  const next = new URL(url);
  next.searchParams.set("$skiptoken", String(skip + top));
  return {
    value: slice,
    ...(skip + top < items.length ? { "@odata.nextLink": next.toString() } : {}),
  };
}

export function createGraphHandler({ directory, issuer, publicKeys }: GraphOptions) {
  const domain = directory.tenant.domain;

  async function authorize(req: IncomingMessage) {
    const header = req.headers.authorization ?? "";
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!token) throw new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.");
    try {
      const { payload } = await jwtVerify(token, publicKeys, {
        issuer,
        audience: GRAPH_RESOURCE,
        algorithms: ["RS256"],
      });
      const roles = Array.isArray(payload.roles) ? payload.roles : [];
      if (payload.idtyp !== "app" || !roles.includes(REQUIRED_ROLE))
        throw new GraphError(
          403,
          "Authorization_RequestDenied",
          `Insufficient privileges: an application token with ${REQUIRED_ROLE} is required.`,
        );
    } catch (error) {
      if (error instanceof GraphError) throw error;
      throw new GraphError(
        401,
        "InvalidAuthenticationToken",
        `Access token validation failure: ${(error as Error).message}`,
      );
    }
  }

  function objectOr404(id: string, kind?: DirectoryObject["kind"]): DirectoryObject {
    const found =
      findObject(directory, id) ??
      (kind === "user"
        ? directory.users
            .map((u) => ({ kind: "user" as const, object: u }))
            .find((u) => u.object.userPrincipalName.toLowerCase() === id.toLowerCase())
        : undefined);
    if (!found || (kind && found.kind !== kind))
      throw new GraphError(
        404,
        "Request_ResourceNotFound",
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return found;
  }

  /** Graph's `$filter=startswith(displayName,'pay')` on service principals, the one filter served. */
  function servicePrincipalsStartingWith(filter: string | null): Record<string, unknown>[] {
    const prefix = /^startswith\(displayName,'((?:[^']|'')*)'\)$/.exec(filter ?? "")?.[1];
    if (filter !== null && prefix === undefined)
      throw new GraphError(
        400,
        "BadRequest",
        "Only $filter=startswith(displayName,'…') is served on servicePrincipals.",
      );
    const wanted = (prefix ?? "").replace(/''/g, "'").toLowerCase();
    return directory.applications
      .filter((app) => app.displayName.toLowerCase().startsWith(wanted))
      .map((app) => toGraphObject({ kind: "servicePrincipal", object: app }, domain));
  }

  async function route(req: IncomingMessage, url: URL): Promise<unknown> {
    const path = url.pathname.slice(GRAPH_BASE_PATH.length).replace(/\/+$/, "");
    const segments = path.split("/").filter(Boolean).map(decodeSegment);
    const [version, collection, id, relation] = segments;
    if (version !== "v1.0") throw new GraphError(400, "BadRequest", "Only v1.0 is served.");
    const kinds = {
      users: "user",
      groups: "group",
      servicePrincipals: "servicePrincipal",
    } as const;

    if (
      req.method === "POST" &&
      collection === "directoryObjects" &&
      id === "getByIds" &&
      segments.length === 3
    ) {
      const parsed = getByIdsBody.safeParse(await readJson(req));
      if (!parsed.success)
        throw new GraphError(400, "BadRequest", parsed.error.issues[0]?.message ?? "invalid body");
      const wanted = new Set(parsed.data.types ?? ["user", "group", "servicePrincipal"]);
      const found = parsed.data.ids
        .map((i) => findObject(directory, i))
        .filter((o): o is DirectoryObject => !!o && wanted.has(o.kind));
      return { value: found.map((o) => toGraphObject(o, domain)) };
    }
    const byAppId = /^servicePrincipals\(appId='([^']+)'\)$/.exec(collection ?? "");
    if (req.method === "GET" && byAppId) {
      const app = findApplication(directory, byAppId[1] ?? "");
      if (!app)
        throw new GraphError(
          404,
          "Request_ResourceNotFound",
          `Resource 'appId=${byAppId[1]}' does not exist or one of its queried reference-property objects are not present.`,
        );
      if (segments.length === 2)
        return toGraphObject({ kind: "servicePrincipal", object: app }, domain);
      if (segments.length === 3 && id === "appRoleAssignedTo")
        return page(url, appRoleAssignedTo(directory, app));
    }
    if (req.method === "GET" && collection === "servicePrincipals" && segments.length === 2)
      return page(url, servicePrincipalsStartingWith(url.searchParams.get("$filter")));
    if (req.method !== "GET" || !collection || !(collection in kinds) || !id)
      throw new GraphError(400, "BadRequest", `Unsupported request: ${req.method} ${path}`);
    const object = objectOr404(id, kinds[collection as keyof typeof kinds]);
    if (segments.length === 3) return toGraphObject(object, domain);
    if (relation === "transitiveMemberOf" && segments.length === 4)
      return page(
        url,
        transitiveGroupsOf(
          directory,
          object.kind === "servicePrincipal" ? object.object.servicePrincipalId : object.object.id,
        ).map((g) => toGraphObject({ kind: "group", object: g }, domain)),
      );
    if (relation === "transitiveMembers" && object.kind === "group" && segments.length === 4)
      return page(
        url,
        transitiveMembersOf(directory, object.object.id).map((o) => toGraphObject(o, domain)),
      );
    if (
      relation === "appRoleAssignedTo" &&
      object.kind === "servicePrincipal" &&
      segments.length === 4
    )
      return page(url, appRoleAssignedTo(directory, object.object));
    if (relation === "members" && object.kind === "group" && segments.length === 4)
      return page(
        url,
        object.object.members
          .map((m) => findObject(directory, m))
          .filter((o): o is DirectoryObject => !!o)
          .map((o) => toGraphObject(o, domain)),
      );
    throw new GraphError(400, "BadRequest", `Unsupported request: ${req.method} ${path}`);
  }

  /** Handles the request and returns true when the path belongs to the directory API. */
  return async function handleGraph(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", `https://${req.headers.host ?? "localhost"}`);
    if (url.pathname !== GRAPH_BASE_PATH && !url.pathname.startsWith(`${GRAPH_BASE_PATH}/`))
      return false;
    let status = 200;
    let body: unknown;
    try {
      await authorize(req);
      body = await route(req, url);
    } catch (error) {
      const graphError =
        error instanceof GraphError
          ? error
          : new GraphError(500, "InternalServerError", "Unexpected error.");
      status = graphError.status;
      body = {
        error: {
          code: graphError.code,
          message: graphError.message,
          innerError: { date: new Date().toISOString() },
        },
      };
    }
    res.writeHead(status, {
      "content-type": "application/json; odata.metadata=minimal",
      "cache-control": "no-store",
    });
    res.end(JSON.stringify(body));
    return true;
  };
}
