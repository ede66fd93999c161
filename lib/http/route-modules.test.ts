import path from "node:path";
import { describe, expect, it } from "vitest";

import { ACTION_PATTERN } from "@/lib/audit/types";
import { HTTP_METHODS } from "@/lib/http/allowed-methods";
import { API_DIR, routeFiles } from "@/lib/http/route-files";
import { isMethodRefusal } from "@/lib/http/route-methods";
import { isWithRouteHandler, routeDescriptionOf } from "@/lib/http/with-route";

/*
 * Holds every route module under app/api to two rules that a new route could otherwise forget:
 * it answers every method Next.js dispatches (through routeMethods, so an unsupported one gets
 * a 405 problem with Allow rather than Next's empty 405), and every handler it exports is a
 * withRoute handler (one wrapper for request ids, access, parsing, logging and problems); and
 * every handler of a method that changes something names its audit action, so that each
 * cookie-authenticated call of it is recorded in the audit log.
 */

describe("every route module under app/api", () => {
  const files = routeFiles();

  it("is found", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((file) => [path.relative(API_DIR, file), file]))(
    "%s answers every method through withRoute",
    async (_name, file) => {
      const routeModule = (await import(file)) as Record<string, unknown>;
      const missing = HTTP_METHODS.filter((method) => !isWithRouteHandler(routeModule[method]));
      expect(
        missing,
        "methods without a withRoute handler: export them with " +
          "`export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: … })`",
      ).toEqual([]);
    },
  );

  it.each(files.map((file) => [path.relative(API_DIR, file), file]))(
    "%s names an audit action for every method that changes something",
    async (_name, file) => {
      const routeModule = (await import(file)) as Record<string, unknown>;
      const unaudited = (["POST", "PUT", "PATCH", "DELETE"] as const).filter((method) => {
        const handler = routeModule[method];
        const declared = routeDescriptionOf(handler);
        if (isMethodRefusal(handler) || declared?.changesNothing) return false;
        return !ACTION_PATTERN.test(declared?.auditAction ?? "");
      });
      expect(unaudited, 'give withRoute `audit: { action: "domain.thing.verb" }`').toEqual([]);
    },
  );
});
