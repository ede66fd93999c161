import "server-only";

import { AppError } from "@/lib/errors";
import {
  allowedMethods,
  HANDLER_METHODS,
  methodNotAllowedDetail,
  type HandlerMethod,
  type HttpMethod,
} from "@/lib/http/allowed-methods";
import { withRoute, type RouteHandler } from "@/lib/http/with-route";

export type RouteModule = Record<HttpMethod, RouteHandler>;

/** The handlers that answer 405 for a method a route does not serve. */
const refusals = new WeakSet<RouteHandler>();

/** True for the 405 answer of a method the route does not serve (nothing there is audited). */
export function isMethodRefusal(value: unknown): boolean {
  return typeof value === "function" && refusals.has(value as RouteHandler);
}

/**
 * The exports of a route module, built from the handlers it has, so that every method Next.js
 * dispatches gets a withRoute answer:
 *
 *     export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: listKeys });
 *
 * A method the route does not serve answers 405 problem+json with `Allow`; HEAD runs GET (the
 * server drops the body) or answers 405 without GET; OPTIONS answers 204 with `Allow`. Without
 * this, Next answers a missing method with an empty 405 and no `Allow`. Nothing here answers
 * CORS preflights: the portal serves its own origin only.
 */
export function routeMethods(handlers: Partial<Record<HandlerMethod, RouteHandler>>): RouteModule {
  const served = HANDLER_METHODS.filter((method) => handlers[method] !== undefined);
  if (served.length === 0) throw new Error("routeMethods needs a handler for at least one method");
  const allowed = allowedMethods(served);
  const allow = allowed.join(", ");

  const refuse = withRoute({
    access: "public",
    handler: ({ request }) =>
      Promise.reject(
        new AppError(
          "method_not_allowed",
          methodNotAllowedDetail(request.method, request.nextUrl.pathname, allowed),
          { headers: { allow } },
        ),
      ),
  });
  refusals.add(refuse);
  const options = withRoute({
    access: "public",
    handler: () => Promise.resolve(new Response(null, { status: 204, headers: { allow } })),
  });

  return {
    GET: handlers.GET ?? refuse,
    HEAD: handlers.GET ?? refuse,
    OPTIONS: options,
    POST: handlers.POST ?? refuse,
    PUT: handlers.PUT ?? refuse,
    PATCH: handlers.PATCH ?? refuse,
    DELETE: handlers.DELETE ?? refuse,
  };
}
