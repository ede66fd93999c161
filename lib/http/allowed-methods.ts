/*
 * Which HTTP methods a route answers. Pure: shared by the route-module builder and its tests.
 */

/** Every method Next.js dispatches to a route module; a module must answer each one. */
export const HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export function isHttpMethod(method: string): method is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(method);
}

/** The methods a route author writes a handler for; HEAD and OPTIONS follow from them. */
export const HANDLER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HandlerMethod = (typeof HANDLER_METHODS)[number];

/**
 * The `Allow` header's methods for a route serving `served` (RFC 9110 §10.2.1): those, HEAD
 * wherever GET is (it runs GET and drops the body), and OPTIONS, sorted.
 */
export function allowedMethods(served: readonly HandlerMethod[]): HttpMethod[] {
  const allowed = new Set<HttpMethod>([...served, "OPTIONS"]);
  if (allowed.has("GET")) allowed.add("HEAD");
  return [...allowed].sort();
}

/** The detail of a 405: what was asked, of which path, and what would have worked. */
export function methodNotAllowedDetail(
  method: string,
  path: string,
  allowed: readonly HttpMethod[],
): string {
  return `${method} is not a method of ${path}; it answers ${allowed.join(", ")}.`;
}
