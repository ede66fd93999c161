import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { AppError } from "@/lib/errors";
import { API_CACHE_CONTROL } from "@/lib/http/security-headers";
import { withRoute } from "@/lib/http/with-route";

const ORIGIN = "http://localhost:3000";

const createThing = withRoute({
  access: "public",
  schemas: {
    params: z.object({ hsm: z.string().regex(/^[a-z]+$/, "must be lowercase letters") }),
    query: z.object({ dryRun: z.enum(["true", "false"]).optional() }),
    body: z.object({ name: z.string().min(3), tags: z.record(z.string(), z.string()).optional() }),
  },
  maxBodyBytes: 200,
  handler: ({ params, query, body }) =>
    Promise.resolve({ hsm: params.hsm, dryRun: query.dryRun === "true", name: body.name }),
});

function call(
  route: ReturnType<typeof withRoute>,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    params?: unknown;
    path?: string;
  } = {},
) {
  const request = new NextRequest(`${ORIGIN}${init.path ?? "/api/things/weu"}`, {
    method: init.method ?? "POST",
    headers: init.headers ?? { "content-type": "application/json" },
    body: init.body,
  });
  return route(request, { params: Promise.resolve(init.params ?? { hsm: "weu" }) });
}

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as Record<string, unknown>;
}

const noteThing = withRoute({
  access: "public",
  schemas: { body: z.object({ note: z.string().optional() }).default({}) },
  handler: ({ body }) => Promise.resolve({ note: body.note ?? null }),
});

describe("withRoute", () => {
  it("parses params, query and body and answers JSON with no-store caching", async () => {
    const response = await call(createThing, {
      path: "/api/things/weu?dryRun=true",
      body: '{"name":"abc"}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hsm: "weu", dryRun: true, name: "abc" });
    expect(response.headers.get("cache-control")).toBe(API_CACHE_CONTROL);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ["a short name", { body: '{"name":"ab"}' }, 422, [{ in: "body", pointer: "#/name" }]],
    [
      "a nested wrong type",
      { body: '{"name":"abc","tags":{"env":1}}' },
      422,
      [{ in: "body", pointer: "#/tags/env" }],
    ],
    ["a missing body field", { body: "{}" }, 422, [{ in: "body", pointer: "#/name" }]],
    [
      "bad path params",
      { body: '{"name":"abc"}', params: { hsm: "WEU!" } },
      422,
      [{ in: "params", pointer: "#/hsm", detail: "must be lowercase letters" }],
    ],
    [
      "a bad query value",
      { body: '{"name":"abc"}', path: "/api/things/weu?dryRun=maybe" },
      422,
      [{ in: "query", pointer: "#/dryRun" }],
    ],
  ])("answers %s with validation problem details", async (_name, init, status, errors) => {
    const response = await call(createThing, init);
    expect(response.status).toBe(status);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({
      type: "urn:keyward:problem:validation-failed",
      title: "Validation failed",
      status,
      instance: expect.stringMatching(/^\/api\/things/) as unknown,
      requestId: response.headers.get("x-request-id"),
      errors: errors.map((e) => expect.objectContaining(e) as unknown),
    });
    expect(problem.detail).toEqual(expect.stringContaining("invalid value"));
  });

  it.each([
    ["malformed JSON", { body: "{name:" }, 400, "not valid JSON"],
    ["a body without content type where one is required", { headers: {} }, 415, "application/json"],
    ["an empty body", { body: "" }, 400, "needs a JSON body"],
    [
      "another media type",
      { body: "name=abc", headers: { "content-type": "application/x-www-form-urlencoded" } },
      415,
      "application/json",
    ],
    [
      "a body over the limit",
      { body: JSON.stringify({ name: "x".repeat(300) }) },
      413,
      "must not exceed 200 bytes",
    ],
  ])("refuses %s", async (_name, init, status, detail) => {
    const response = await call(createThing, init);
    expect(response.status).toBe(status);
    expect((await problemOf(response)).detail).toEqual(expect.stringContaining(detail));
  });

  it.each([
    ["a foreign Origin", { origin: "https://evil.example", cookie: "s=1" }, 403],
    ["no Origin and no fetch metadata", { cookie: "s=1" }, 403],
    ["a null Origin", { origin: "null", cookie: "s=1" }, 403],
    ["its own Origin", { origin: ORIGIN, cookie: "s=1" }, 200],
    [
      "same-origin fetch metadata without Origin",
      { "sec-fetch-site": "same-origin", cookie: "s=1" },
      200,
    ],
    ["no cookie (not cookie-authenticated)", { origin: "https://evil.example" }, 200],
  ])("checks the origin of a cookie mutation with %s", async (_name, headers, status) => {
    const response = await call(createThing, {
      body: '{"name":"abc"}',
      headers: { "content-type": "application/json", ...headers },
    });
    expect(response.status).toBe(status);
    if (status === 403)
      expect((await problemOf(response)).detail).toMatch(/Cross-origin request refused/);
  });

  it("does not check the Origin of reads", async () => {
    const read = withRoute({ access: "public", handler: () => Promise.resolve({ ok: true }) });
    const response = await call(read, {
      method: "GET",
      headers: { origin: "https://evil.example", cookie: "s=1" },
    });
    expect(response.status).toBe(200);
  });

  it("turns an AppError into its status and keeps Retry-After", async () => {
    const route = withRoute({
      access: "public",
      handler: () =>
        Promise.reject(new AppError("rate_limited", "HSM throttled", { retryAfterSeconds: 4 })),
    });
    const response = await call(route, { method: "GET" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("4");
    expect(await problemOf(response)).toMatchObject({
      type: "urn:keyward:problem:rate-limited",
      detail: "HSM throttled",
    });
  });

  it("hides the detail of an unexpected error behind a generic 500", async () => {
    const route = withRoute({
      access: "public",
      handler: () => Promise.reject(new Error("connection string postgres://admin:pw@db leaked")),
    });
    const response = await call(route, { method: "GET" });
    expect(response.status).toBe(500);
    const problem = await problemOf(response);
    expect(JSON.stringify(problem)).not.toContain("postgres://");
    expect(problem.detail).toMatch(/request id/);
  });

  it("answers with its own request id, whatever id the client sends", async () => {
    const read = withRoute({ access: "public", handler: () => Promise.resolve({}) });
    for (const sent of ["frontdoor-1234abcd", "x level=fatal <b>"]) {
      const answer = await call(read, { method: "GET", headers: { "x-request-id": sent } });
      expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("withRoute's body", () => {
  it("may be left out when every member is optional", async () => {
    const response = await call(noteThing, { headers: {} });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ note: null });
  });

  it("never quotes the text around a JSON error (it may be a secret)", async () => {
    const response = await call(createThing, { body: '{"name":"abc","k":SECRETKEYMATERIAL}' });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.detail).toMatch(/not valid JSON/);
    expect(JSON.stringify(problem)).not.toContain("SECRET");
  });
});
