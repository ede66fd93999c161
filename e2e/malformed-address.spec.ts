import fs from "node:fs";
import path from "node:path";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectProblem, expectSecurityHeaders } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * A path segment whose percent-encoding is not UTF-8 cannot be decoded into route parameters.
 * Next fails on it before any handler runs; the portal must still answer with a 400 that
 * carries its security headers — problem+json for the API, a short page for browsers — and
 * never a bare 500. Every route and page with a parameter is read from app/, so a new one is
 * covered without an edit here.
 */

const APP_DIR = path.join(import.meta.dirname, "..", "app");
const MALFORMED = ["%ff", "%E0%A4%A", "%C0%AF", "%zz", "%"];

/** Every route.ts and page.tsx under app/ with a dynamic segment, as a URL path of `value`s. */
function parameterisedPaths(value: string, dir = APP_DIR, segments: string[] = []) {
  const found: { kind: "api" | "page"; path: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      // Route groups and private folders are not part of the URL.
      if (entry.name.startsWith("_")) continue;
      const segment = /^\(.*\)$/.test(entry.name)
        ? []
        : [/^\[.*\]$/.test(entry.name) ? value : entry.name];
      found.push(
        ...parameterisedPaths(value, path.join(dir, entry.name), [...segments, ...segment]),
      );
    } else if ((entry.name === "route.ts" || entry.name === "page.tsx") && segments.includes(value))
      found.push({
        kind: entry.name === "route.ts" ? "api" : "page",
        path: `/${segments.join("/")}`,
      });
  }
  return found;
}

const API_PATHS = parameterisedPaths("%ff").filter((p) => p.kind === "api");
const PAGE_PATHS = [
  ...parameterisedPaths("%ff").filter((p) => p.kind === "page"),
  // Paths of no route at all, which Next would otherwise answer with its not-found page.
  { kind: "page", path: "/%ff" },
  { kind: "page", path: "/keys/%ff" },
];

test("finds the routes and pages with parameters", () => {
  expect(API_PATHS.map((p) => p.path)).toContain("/api/me/sessions/%ff");
  expect(PAGE_PATHS.map((p) => p.path)).toContain("/keys/%ff/%ff");
});

test.describe("malformed percent-encoding in the path", () => {
  for (const caller of ["anonymous", "keyadmin"] as const)
    test.describe(`for ${caller}`, () => {
      if (caller !== "anonymous") test.use({ storageState: storageStatePath(caller) });

      test("every API route with a parameter answers 400 problem+json", async ({ request }) => {
        for (const { path: url } of API_PATHS) {
          const response = await request.get(url, { maxRedirects: 0 });
          const problem = await expectProblem(response, 400, "bad-request", `GET ${url}`);
          expect.soft(problem.detail, url).toContain("percent-encoding");
          expect.soft(problem.instance, url).toBe(url);
          expectSecurityHeaders(response, `GET ${url}`);
        }
      });

      test("every page with a parameter answers a 400 page, not a 500", async ({ request }) => {
        for (const { path: url } of PAGE_PATHS) {
          const response = await request.get(url, { maxRedirects: 0 });
          expect.soft(response.status(), url).toBe(400);
          expect.soft(response.headers()["content-type"], url).toBe("text/html; charset=utf-8");
          expect.soft(response.headers()["x-request-id"], url).toBeTruthy();
          expect.soft(await response.text(), url).toContain("This address cannot be read");
          expectSecurityHeaders(response, `GET ${url}`);
        }
      });
    });

  test("every malformed escape is refused, whatever the method", async ({ request, stack }) => {
    const origin = new URL(stack.portal.url).origin;
    for (const escape of MALFORMED)
      for (const method of ["GET", "DELETE", "POST", "PUT", "PATCH", "HEAD", "OPTIONS"]) {
        const url = `/api/me/sessions/${escape}`;
        const response = await request.fetch(url, { method, headers: { origin } });
        expect.soft(response.status(), `${method} ${url}`).toBe(400);
        if (method !== "HEAD")
          await expectProblem(response, 400, "bad-request", `${method} ${url}`);
        expectSecurityHeaders(response, `${method} ${url}`);
      }
  });

  test("a well-formed escape still reaches the route", async ({ request }) => {
    // %C3%A9 is "é": valid UTF-8, so withRoute answers (here: sign in first).
    const response = await request.delete("/api/me/sessions/caf%C3%A9");
    await expectProblem(response, 401, "unauthenticated");
  });

  test.describe("in a browser", () => {
    test.use({ storageState: storageStatePath("keyadmin") });

    test("shows a page that says what is wrong and leads back", async ({
      page,
      expectAccessible,
      consoleErrors,
    }) => {
      const response = await page.goto("/keys/%ff/%ff");
      expect(response!.status()).toBe(400);
      await expect(
        page.getByRole("heading", { name: "This address cannot be read" }),
      ).toBeVisible();
      await expect(page).toHaveTitle("Bad request · Keyward");
      await expectAccessible();
      // The browser reports the page's 400 status as a console error.
      expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("400")]);
      await page.getByRole("link", { name: "Go to Keyward" }).click();
      await expect(page).toHaveURL(/\/overview$/);
    });
  });
});
