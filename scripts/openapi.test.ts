import path from "node:path";
import { describe, expect, it } from "vitest";

import { buildOpenApiDocument, openApiPath, summaryOf } from "@/scripts/lib/openapi-document";

/*
 * public/openapi.json is the API's published contract. It is built from the route modules, and
 * this test fails when a route changed without the document: `npm run openapi` rewrites it.
 */

describe("the OpenAPI document", () => {
  it("is up to date with the route modules (npm run openapi rewrites it)", async () => {
    const document = await buildOpenApiDocument();
    await expect(`${JSON.stringify(document, null, 2)}\n`).toMatchFileSnapshot(
      path.join("..", "public", "openapi.json"),
    );
  });

  it("documents every operation with a summary, its access and its problems", async () => {
    const document = await buildOpenApiDocument();
    const operations = Object.entries(document.paths ?? {}).flatMap(([route, item]) =>
      Object.entries(item ?? {}).map(([method, op]) => ({
        route,
        method,
        op: op as Record<string, unknown>,
      })),
    );
    expect(operations.length).toBeGreaterThan(20);
    for (const { route, method, op } of operations) {
      expect(op.summary, `${method} ${route}`).toEqual(expect.any(String));
      expect(op.responses, `${method} ${route}`).toHaveProperty("default");
    }
    expect(document.paths?.["/api/sod/rules/{ruleId}"]?.put).toMatchObject({
      "x-keyward-permission": "sod.configure",
      "x-keyward-audit-action": "sod.rule.update",
      security: [{ session: [] }],
    });
  });
});

describe("openApiPath", () => {
  it.each([
    ["keys/route.ts", "/api/keys"],
    ["hsms/[hsm]/keys/[name]/public-key/route.ts", "/api/hsms/{hsm}/keys/{name}/public-key"],
    ["[...path]/route.ts", null],
  ])("%s → %s", (file, expected) => {
    expect(openApiPath(path.join(import.meta.dirname, "..", "app", "api", file))).toBe(expected);
  });
});

describe("summaryOf", () => {
  it.each([
    ["// GET /api/keys – the inventory mirror\n", "the inventory mirror"],
    ["// DELETE /api/me/sessions/[sessionId] – end one\n", "end one"],
    ["import x from 'y';\n", undefined],
  ])("%j → %j", (source, expected) => {
    expect(summaryOf(source)).toBe(expected);
  });
});
