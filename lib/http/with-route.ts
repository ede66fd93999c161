import "server-only";

import type { NextRequest } from "next/server";
import type { z } from "zod";

import { getEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { authorize, type RouteAccess, type SessionFor } from "@/lib/http/authorize";
import { assertSameOriginMutation } from "@/lib/http/origin";
import {
  DEFAULT_MAX_BODY_BYTES,
  parseWith,
  queryObject,
  readJsonBody,
} from "@/lib/http/parse-input";
import { problemResponse } from "@/lib/http/problem";
import { API_CACHE_CONTROL } from "@/lib/http/security-headers";
import { getLogger, type Logger } from "@/lib/log/logger";
import { requestIdFrom } from "@/lib/request-id";

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
  /** Returns a Response, or a value sent as JSON with status 200. */
  handler: (context: RouteContext<A, P, Q, B>) => Promise<unknown>;
}

export type RouteHandler = (
  request: NextRequest,
  segment: { params: Promise<unknown> },
) => Promise<Response>;

/** Every handler withRoute made, so that a check can tell them from hand-written ones. */
const wrappedHandlers = new WeakSet<RouteHandler>();

/** True for a handler made by withRoute (the route-module check holds every route to it). */
export function isWithRouteHandler(value: unknown): boolean {
  return typeof value === "function" && wrappedHandlers.has(value as RouteHandler);
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
    const requestId = requestIdFrom(request.headers);
    const log = getLogger().child({ requestId });
    const instance = request.nextUrl.pathname;
    let response: Response;
    try {
      assertSameOriginMutation(request, getEnv().publicUrl);
      const session = await authorize(request, options.access);
      const { schemas = {} } = options;
      const params = schemas.params
        ? parseWith(schemas.params, (await segment.params) ?? {}, "params")
        : undefined;
      const query = schemas.query
        ? parseWith(schemas.query, queryObject(request.nextUrl.searchParams), "query")
        : undefined;
      const body = schemas.body
        ? parseWith(
            schemas.body,
            await readJsonBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
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
      });
      response = result instanceof Response ? result : Response.json(result);
    } catch (error) {
      response = errorResponse(error, requestId, instance, log);
    }
    response.headers.set("cache-control", API_CACHE_CONTROL);
    response.headers.set("x-request-id", requestId);
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
  wrappedHandlers.add(route);
  return route;
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
