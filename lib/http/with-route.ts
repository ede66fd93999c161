import "server-only";

import type { NextRequest } from "next/server";
import type { z } from "zod";

import { recordAuditEvent } from "@/lib/audit/service";
import { ANONYMOUS_ACTOR, userActor, type AuditContext } from "@/lib/audit/types";
import { SESSION_COOKIE } from "@/lib/auth/constants";
import { sessionFromToken } from "@/lib/auth/current-session";
import { ChangeLimitError, countSessionChange } from "@/lib/auth/mutation-limit";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { checkAccess, type RouteAccess, type SessionFor } from "@/lib/http/authorize";
import { assertNotCrossSiteRead, assertSameOriginMutation } from "@/lib/http/origin";
import {
  DEFAULT_MAX_BODY_BYTES,
  hasNoBody,
  parseWith,
  queryObject,
  readJsonBody,
} from "@/lib/http/parse-input";
import { problemResponse } from "@/lib/http/problem";
import { API_CACHE_CONTROL, setApiAnswerHeaders } from "@/lib/http/security-headers";
import { getLogger, type Logger } from "@/lib/log/logger";
import { newRequestId, requestLogBindings } from "@/lib/request-id";

type Schema = z.ZodType | undefined;
type Output<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type { RouteAccess };

export interface RouteContext<
  A extends RouteAccess,
  P extends Schema,
  Q extends Schema,
  B extends Schema,
> {
  request: NextRequest;
  session: SessionFor<A>;
  params: Output<P>;
  query: Output<Q>;
  body: Output<B>;
  requestId: string;
  log: Logger;
  /**
   * Who is acting, on which request, doing what: hand it to the service that makes the change,
   * which records the event in the change's own transaction.
   */
  audit: AuditContext;
}

export interface RouteOptions<
  A extends RouteAccess,
  P extends Schema,
  Q extends Schema,
  B extends Schema,
> {
  access: A;
  schemas?: { params?: P; query?: Q; body?: B };
  maxBodyBytes?: number;
  /**
   * The audit action of a route that changes something (`sod.rule.update`). Every
   * cookie-authenticated request to it records one event: the service records success in the
   * change's transaction (or, for a change outside the database, this wrapper records it after
   * the handler); refusals are recorded as `denied` and other errors as `failed`.
   */
  audit?: { action: string };
  /**
   * Set on a POST that only computes an answer and changes nothing (a what-if), so that it is
   * not mistaken for a change that forgot its audit action. Such a call is not recorded.
   */
  changesNothing?: true;
  /** The success answer, for the OpenAPI document (`public/openapi.json`). */
  response?: RouteResponse;
  /** Returns a Response, or a value sent as JSON with status 200. */
  handler: (context: RouteContext<A, P, Q, B>) => Promise<unknown>;
}

export type RouteHandler = (
  request: NextRequest,
  segment: { params: Promise<unknown> },
) => Promise<Response>;

export interface RouteResponse {
  status: number;
  description: string;
  /** The body's schema (JSON) or, for other content types, nothing. */
  schema?: z.ZodType;
  contentType?: string;
}

/** What a handler declared about itself: for the route-module checks and the OpenAPI document. */
export interface RouteDescription {
  access: RouteAccess;
  schemas: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
  auditAction: string | undefined;
  changesNothing: boolean;
  response: RouteResponse | undefined;
}

/** Every handler withRoute made, with its declaration: a hand-written handler has none. */
const descriptions = new WeakMap<RouteHandler, RouteDescription>();

export function routeDescriptionOf(value: unknown): RouteDescription | undefined {
  return typeof value === "function" ? descriptions.get(value as RouteHandler) : undefined;
}

/** True for a handler made by withRoute (the route-module check holds every route to it). */
export function isWithRouteHandler(value: unknown): boolean {
  return routeDescriptionOf(value) !== undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A refusal (not signed in, not allowed, too many changes) is `denied`; any other error means
 * the change was tried and did not happen.
 */
function outcomeOf(status: number) {
  return status === 401 || status === 403 || status === 429
    ? ("denied" as const)
    : ("failed" as const);
}

/**
 * The single wrapper for every route handler: request id, origin check on cookie-authenticated
 * mutations, access check (lib/http/authorize.ts), zod parsing of params/query/body, no-store caching, one log line per
 * request, and every error as RFC 9457 problem+json. Unknown errors become a generic 500 whose
 * detail stays in the server log.
 */
export function withRoute<
  const A extends RouteAccess,
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
>(options: RouteOptions<A, P, Q, B>): RouteHandler {
  const route: RouteHandler = async (request, segment) => {
    const startedAt = performance.now();
    const requestId = newRequestId();
    const log = getLogger().child(requestLogBindings(requestId, request.headers));
    const instance = request.nextUrl.pathname;
    let recorded = false;
    const audit: AuditContext = {
      actor: ANONYMOUS_ACTOR,
      requestId,
      action: options.audit?.action ?? "",
      onRecorded: () => (recorded = true),
    };
    const changes = !SAFE_METHODS.has(request.method);
    // Only a live session's calls are recorded: a refusal of anyone else (no cookie, or one that
    // names no session) costs its sender nothing, so recording it would let anyone fill the log.
    let audited = false;
    let response: Response;
    try {
      const current = await sessionFromToken(request.cookies.get(SESSION_COOKIE)?.value);
      if (current) audit.actor = userActor(current);
      audited = options.audit !== undefined && changes && current !== null;
      // Counted before anything else is checked, so that refusals count too. Sign-in and
      // sign-out stay open: a session at its limit can always end itself.
      if (current && changes && options.access !== "public")
        await countSessionChange(await getDb(), current.id, getEnv().session.changesPerMinute);
      assertSameOriginMutation(request, getEnv().publicUrl);
      // Not on public routes: the sign-in's return from the identity provider is cross-site.
      if (options.audit && !changes && options.access !== "public") assertNotCrossSiteRead(request);
      const session = checkAccess(current, options.access);
      const { schemas = {} } = options;
      const params = schemas.params
        ? parseWith(schemas.params, (await segment.params) ?? {}, "params")
        : undefined;
      const query = schemas.query
        ? parseWith(schemas.query, queryObject(request.nextUrl.searchParams), "query")
        : undefined;
      // A body whose every member is optional may be left out altogether (an empty POST).
      const body = schemas.body
        ? parseWith(
            schemas.body,
            hasNoBody(request) && schemas.body.safeParse(undefined).success
              ? undefined
              : await readJsonBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
            "body",
          )
        : undefined;
      const result = await options.handler({
        request,
        session,
        params: params as Output<P>,
        query: query as Output<Q>,
        body: body as Output<B>,
        requestId,
        log,
        audit,
      });
      response = result instanceof Response ? result : Response.json(result);
      if (audited && !recorded)
        await recordAuditEvent(audit, {
          target: { path: instance },
          detail: { status: response.status },
        });
    } catch (error) {
      response = errorResponse(error, requestId, instance, log);
      // Past the change limit, the first refusal of the minute stands for the rest.
      const repeatedRefusal = error instanceof ChangeLimitError && !error.firstInWindow;
      if (audited && !recorded && !repeatedRefusal)
        await recordRefusal(audit, instance, response.status, error, log);
    }
    response.headers.set("cache-control", API_CACHE_CONTROL);
    response.headers.set("x-request-id", requestId);
    setApiAnswerHeaders(response.headers, getEnv().publicUrl);
    log.info(
      {
        method: request.method,
        path: instance,
        status: response.status,
        durationMs: Math.round(performance.now() - startedAt),
      },
      "request",
    );
    return response;
  };
  descriptions.set(route, {
    access: options.access,
    schemas: options.schemas ?? {},
    auditAction: options.audit?.action,
    changesNothing: options.changesNothing === true,
    response: options.response,
  });
  return route;
}

/**
 * Records a request that changed nothing: refused (`denied`) or failed. Nothing was changed, so
 * an audit log that cannot record it leaves the answer as it is; the server log says why.
 */
async function recordRefusal(
  audit: AuditContext,
  path: string,
  status: number,
  error: unknown,
  log: Logger,
): Promise<void> {
  const problem = isAppError(error)
    ? { code: error.code, reason: error.message }
    : { code: "internal", reason: "unexpected error" };
  try {
    await recordAuditEvent(audit, {
      target: { path },
      outcome: outcomeOf(status),
      detail: { status, ...problem },
    });
  } catch (auditError) {
    log.error({ err: auditError }, "the audit log could not record a refused or failed request");
  }
}

function errorResponse(error: unknown, requestId: string, instance: string, log: Logger) {
  if (isAppError(error)) {
    if (error.status >= 500) log.error({ err: error }, error.message);
    return problemResponse(error, requestId, instance);
  }
  log.error({ err: error }, "unhandled error in route handler");
  return problemResponse(
    new AppError(
      "internal",
      "An unexpected error occurred. The request id identifies it in the portal's log.",
    ),
    requestId,
    instance,
  );
}
