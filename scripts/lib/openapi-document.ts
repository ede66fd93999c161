import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";

import { SESSION_COOKIE } from "@/lib/auth/constants";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { HANDLER_METHODS, type HandlerMethod } from "@/lib/http/allowed-methods";
import { API_DIR, routeFiles } from "@/lib/http/route-files";
import { isMethodRefusal } from "@/lib/http/route-methods";
import { routeDescriptionOf, type RouteDescription } from "@/lib/http/with-route";
import { KEYWARD_VERSION } from "@/lib/version";

/*
 * The OpenAPI 3.1 document of the portal's API, built from what each route declares to withRoute
 * (access, zod schemas, audit action, success answer) and the one-line summary that opens every
 * route file (`// GET /api/keys – …`). `npm run openapi` writes it to public/openapi.json, which
 * the portal serves at /openapi.json; a test fails when the committed file is out of date.
 */

/** `/api/hsms/[hsm]/keys/[name]` → `/api/hsms/{hsm}/keys/{name}`; catch-alls have no document. */
export function openApiPath(file: string): string | null {
  const route = `/api/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/")}`;
  if (route.includes("[...")) return null;
  return route.replace(/\/$/, "").replace(/\[([^\]]+)\]/g, "{$1}");
}

/** The summary after the method and path in the route file's first line. */
export function summaryOf(source: string): string | undefined {
  const first = source.split("\n", 1)[0] ?? "";
  return /^\/\/ [A-Z, ]+ \S+ – (.+)$/.exec(first)?.[1];
}

const problem = z
  .object({
    type: z.string().meta({ example: "urn:keyward:problem:validation-failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z
      .array(z.object({ in: z.string(), pointer: z.string(), detail: z.string() }))
      .optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problem } },
});

function operation(
  method: HandlerMethod,
  summary: string | undefined,
  route: RouteDescription,
): ZodOpenApiOperationObject {
  const { access, schemas, auditAction, response } = route;
  const success = response ?? {
    status: method === "GET" ? 200 : 200,
    description: "Success; the body is described in README.md",
  };
  const responses: ZodOpenApiOperationObject["responses"] = {
    [String(success.status)]: {
      description: success.description,
      ...(success.schema || success.contentType
        ? {
            content: {
              [success.contentType ?? "application/json"]: success.schema
                ? { schema: success.schema }
                : {},
            },
          }
        : {}),
    },
  };
  if (access !== "public") {
    responses["401"] = problemResponse("Not signed in, or the session has ended");
    if (access !== "session")
      responses["403"] = problemResponse("The caller's roles lack the permission");
  }
  if (access !== "public" && !["GET", "HEAD", "OPTIONS"].includes(method))
    responses["429"] = problemResponse(
      "The session sent more changes this minute than KEYWARD_SESSION_CHANGES_PER_MINUTE allows; Retry-After says when to try again",
    );
  if (schemas.params || schemas.query || schemas.body)
    responses["422"] = problemResponse("A parameter, query value or body member is invalid");
  if (auditAction)
    responses["503"] = problemResponse(
      "The audit log could not record the change: nothing was changed",
    );
  responses.default = problemResponse("Any other error, as problem+json");

  const permission = typeof access === "object" ? access.permission : undefined;
  return {
    ...(summary ? { summary } : {}),
    description: permission
      ? `Needs the permission \`${permission}\`: ${PERMISSIONS[permission]}.`
      : access === "session"
        ? "Needs a signed-in session."
        : "Open to anyone.",
    ...(access === "public" ? {} : { security: [{ session: [] }] }),
    ...(schemas.params || schemas.query
      ? {
          requestParams: {
            ...(schemas.params ? { path: schemas.params as z.ZodObject } : {}),
            ...(schemas.query ? { query: schemas.query as z.ZodObject } : {}),
          },
        }
      : {}),
    ...(schemas.body
      ? { requestBody: { content: { "application/json": { schema: schemas.body } } } }
      : {}),
    responses,
    ...(permission ? { "x-keyward-permission": permission } : {}),
    ...(auditAction ? { "x-keyward-audit-action": auditAction } : {}),
  };
}

/** Imports every route module and documents each method it serves. */
export async function buildOpenApiDocument() {
  const paths: Record<
    string,
    Partial<Record<Lowercase<HandlerMethod>, ZodOpenApiOperationObject>>
  > = {};
  for (const file of routeFiles()) {
    const route = openApiPath(file);
    if (!route) continue;
    const summary = summaryOf(fs.readFileSync(file, "utf8"));
    const routeModule = (await import(file)) as Record<string, unknown>;
    for (const method of HANDLER_METHODS) {
      const handler = routeModule[method];
      const description = routeDescriptionOf(handler);
      if (!description || isMethodRefusal(handler)) continue;
      (paths[route] ??= {})[method.toLowerCase() as Lowercase<HandlerMethod>] = operation(
        method,
        summary,
        description,
      );
    }
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Keyward API",
      version: KEYWARD_VERSION,
      description:
        "The API of Keyward, a console for Azure Key Vault Managed HSM. Browsers authenticate with the session cookie; every state-changing request must come from the portal's own origin.",
    },
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
      },
    },
    paths,
  });
}
