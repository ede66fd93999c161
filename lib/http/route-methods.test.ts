import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { routeMethods, type RouteModule } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const ORIGIN = "http://localhost:3000";

const readThing = withRoute({ access: "public", handler: () => Promise.resolve({ thing: 1 }) });
const makeThing = withRoute({ access: "public", handler: () => Promise.resolve({ made: true }) });

function call(module: RouteModule, method: keyof RouteModule) {
  const request = new NextRequest(`${ORIGIN}/api/things`, { method });
  return module[method](request, { params: Promise.resolve({}) });
}

describe("routeMethods", () => {
  const readOnly = routeMethods({ GET: readThing });
  const writeOnly = routeMethods({ POST: makeThing });

  it("hands the methods a route serves to their handlers, and HEAD to GET", async () => {
    expect(await (await call(readOnly, "GET")).json()).toEqual({ thing: 1 });
    expect(readOnly.HEAD).toBe(readThing);
    expect(await (await call(writeOnly, "POST")).json()).toEqual({ made: true });
  });

  it.each<[string, RouteModule, keyof RouteModule, string]>([
    ["DELETE of a read-only route", readOnly, "DELETE", "GET, HEAD, OPTIONS"],
    ["POST of a read-only route", readOnly, "POST", "GET, HEAD, OPTIONS"],
    ["GET of a write-only route", writeOnly, "GET", "OPTIONS, POST"],
    ["HEAD of a write-only route", writeOnly, "HEAD", "OPTIONS, POST"],
    ["PATCH of a write-only route", writeOnly, "PATCH", "OPTIONS, POST"],
  ])(
    "answers %s with a 405 problem naming what it allows",
    async (_name, module, method, allow) => {
      const response = await call(module, method);
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.headers.get("x-request-id")).toBeTruthy();
      expect(await response.json()).toMatchObject({
        type: "urn:keyward:problem:method-not-allowed",
        status: 405,
        detail: `${method} is not a method of /api/things; it answers ${allow}.`,
        instance: "/api/things",
      });
    },
  );

  it.each<[RouteModule, string]>([
    [readOnly, "GET, HEAD, OPTIONS"],
    [writeOnly, "OPTIONS, POST"],
  ])("answers OPTIONS with 204 and Allow: %s", async (module, allow) => {
    const response = await call(module, "OPTIONS");
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe(allow);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("refuses a route without any handler", () => {
    expect(() => routeMethods({})).toThrow("at least one method");
  });
});
