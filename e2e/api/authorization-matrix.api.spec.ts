import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

import { account } from "@/e2e/fixtures/accounts";
import { expectProblem, expectSecurityHeaders } from "@/e2e/fixtures/http";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Every route handler under app/api, every method it exports, and the status each kind of
 * caller gets. The route list is read from the file system: a new route without an entry here
 * fails this test, so the matrix stays complete as the API grows.
 */

const CALLERS = ["anonymous", "requester", "keyadmin", "approver", "auditor", "newcomer"] as const;
type Caller = (typeof CALLERS)[number];
type Expectation = Record<Caller, number>;

interface Entry {
  /** A concrete path for the route's pattern. */
  path: string;
  data?: unknown;
  expect: Expectation;
}

const all = (status: number): Expectation =>
  Object.fromEntries(CALLERS.map((c) => [c, status])) as Expectation;
const roles = (status: number, rest: Partial<Expectation> = {}): Expectation => ({
  anonymous: 401,
  requester: status,
  keyadmin: status,
  approver: status,
  auditor: status,
  newcomer: 403,
  ...rest,
});

const UNKNOWN_SESSION = "00000000-0000-4000-8000-000000000000";
const OWNED_KEY = "payments-signing-prod-01";

const MATRIX: Record<string, Entry> = {
  "GET /api/health": { path: "/api/health", expect: all(200) },
  "GET /api/ready": { path: "/api/ready", expect: all(200) },
  "GET /api/auth/sign-in": { path: "/api/auth/sign-in", expect: all(302) },
  "GET /api/auth/callback": { path: "/api/auth/callback", expect: all(303) },
  "GET /api/me": { path: "/api/me", expect: roles(200) },
  "GET /api/me/sessions": { path: "/api/me/sessions", expect: roles(200) },
  "DELETE /api/me/sessions/[sessionId]": {
    path: `/api/me/sessions/${UNKNOWN_SESSION}`,
    expect: roles(404),
  },
  "GET /api/keys": { path: "/api/keys?type=EC&sort=expires", expect: roles(200) },
  "GET /api/keys/export": { path: "/api/keys/export?hsm=keyward-weu", expect: roles(200) },
  // A key the requester's group owns, so that every role may read its public key.
  "GET /api/hsms/[hsm]/keys/[name]/public-key": {
    path: `/api/hsms/keyward-weu/keys/${OWNED_KEY}/public-key?format=jwk`,
    expect: roles(200),
  },
  "POST /api/sync": {
    path: "/api/sync",
    data: { hsm: "keyward-weu", key: OWNED_KEY },
    expect: roles(403, { keyadmin: 200 }),
  },
  "GET /api/sync/runs/[runId]": {
    path: `/api/sync/runs/${UNKNOWN_SESSION}`,
    expect: roles(404, { requester: 403 }),
  },
  "GET /api/access/assignments/export": {
    path: "/api/access/assignments/export?kind=group",
    expect: roles(200, { requester: 403 }),
  },
  "GET /api/sod/findings": {
    path: "/api/sod/findings?format=csv&hsm=keyward-neu",
    expect: roles(200, { requester: 403 }),
  },
  // The default setting of a rule, so that saving it changes nothing the other tests see.
  "PUT /api/sod/rules/[ruleId]": {
    path: "/api/sod/rules/several-roles",
    data: { enabled: true, severity: "low" },
    expect: roles(403, { keyadmin: 200 }),
  },
  "POST /api/sod/what-if": {
    path: "/api/sod/what-if",
    data: { op: "remove", hsm: "keyward-weu", name: "no-such-assignment" },
    expect: roles(404, { requester: 403 }),
  },
  "GET /api/audit": {
    path: "/api/audit?action=sod.&outcome=succeeded&limit=5",
    expect: roles(403, { keyadmin: 200, auditor: 200 }),
  },
  "GET /api/audit/export": {
    path: "/api/audit/export?format=jsonl&from=2026-01-01",
    expect: roles(403, { keyadmin: 200, auditor: 200 }),
  },
  "GET /api/evidence": {
    path: "/api/evidence?from=2026-11-01&to=2026-12-31&hsm=keyward-weu",
    expect: roles(403, { keyadmin: 200, auditor: 200 }),
  },
  "GET /api/audit/verify": {
    path: "/api/audit/verify",
    expect: roles(403, { keyadmin: 200, auditor: 200 }),
  },
  "GET /api/calendar/events": {
    path: "/api/calendar/events?view=week&kind=rotation",
    expect: roles(200),
  },
  "POST /api/calendar/feeds": {
    path: "/api/calendar/feeds",
    data: { name: "Authorization matrix" },
    expect: roles(201),
  },
  "DELETE /api/calendar/feeds/[feedId]": {
    path: `/api/calendar/feeds/${UNKNOWN_SESSION}`,
    expect: roles(404),
  },
  // The feed's token is its credential: without a valid one, nobody gets in, cookie or not.
  "GET /api/calendar/feed": {
    path: `/api/calendar/feed?token=${"A".repeat(43)}`,
    expect: all(404),
  },
  "GET /api/requests": { path: "/api/requests?state=pending&limit=5", expect: roles(200) },
  // A key that does not exist: the key team's filing is refused as it cannot apply, and changes nothing.
  "POST /api/requests": {
    path: "/api/requests",
    data: {
      kind: "key.rotate",
      hsm: "keyward-weu",
      justification: "Authorization matrix: a key that does not exist",
      items: [{ key: "no-such-key-in-the-matrix" }],
    },
    // The requester files for their groups' keys only: a key they cannot see is not found.
    expect: roles(403, { keyadmin: 404, requester: 404 }),
  },
  "GET /api/key-templates": { path: "/api/key-templates", expect: roles(200) },
  "GET /api/grants": { path: "/api/grants?mine=true&state=all", expect: roles(200) },
  "GET /api/key-templates/[name]": { path: "/api/key-templates/storage-cmk", expect: roles(200) },
  // Whom an application team may grant access to: those who file requests search the directory.
  "GET /api/principals": {
    path: "/api/principals?kind=servicePrincipal&q=pay",
    expect: roles(403, { requester: 200, keyadmin: 200 }),
  },
  "GET /api/requests/[id]": { path: `/api/requests/${UNKNOWN_SESSION}`, expect: roles(404) },
  "POST /api/requests/[id]/approve": {
    path: `/api/requests/${UNKNOWN_SESSION}/approve`,
    data: {},
    expect: roles(403, { approver: 404 }),
  },
  "POST /api/requests/[id]/reject": {
    path: `/api/requests/${UNKNOWN_SESSION}/reject`,
    data: { reason: "Authorization matrix" },
    expect: roles(403, { approver: 404 }),
  },
  "POST /api/requests/[id]/cancel": {
    path: `/api/requests/${UNKNOWN_SESSION}/cancel`,
    expect: roles(404),
  },
  "GET /api/backups/schedules": {
    path: "/api/backups/schedules",
    expect: roles(200, { requester: 403 }),
  },
  // Backups: the key team, approvers and auditors read them; only the key team starts one. An
  // HSM the portal does not know, so that the matrix starts no backup.
  "GET /api/backups/runs": {
    path: "/api/backups/runs?hsm=keyward-weu&outcome=succeeded",
    expect: roles(200, { requester: 403 }),
  },
  "POST /api/backups/runs": {
    path: "/api/backups/runs",
    data: { hsm: "no-such-hsm" },
    expect: roles(403, { keyadmin: 404 }),
  },
  "GET /api/backups/runs/[id]": {
    path: `/api/backups/runs/${UNKNOWN_SESSION}`,
    expect: roles(404, { requester: 403 }),
  },
  "GET /api/backups/runs/[id]/catalogue": {
    path: `/api/backups/runs/${UNKNOWN_SESSION}/catalogue?key=orders`,
    expect: roles(404, { requester: 403 }),
  },
  "GET /api/backups/keys/[hsm]/[name]": {
    path: `/api/backups/keys/keyward-weu/${OWNED_KEY}`,
    expect: roles(200, { requester: 403 }),
  },
  // Out-of-band changes: the key team and auditors read them; only the key team explains one.
  // A change that does not exist, so that the matrix explains nothing.
  "GET /api/out-of-band": {
    path: "/api/out-of-band?hsm=keyward-weu&state=open",
    expect: roles(403, { keyadmin: 200, auditor: 200 }),
  },
  "POST /api/out-of-band/[id]/explain": {
    path: `/api/out-of-band/${UNKNOWN_SESSION}/explain`,
    data: { reason: "Authorization matrix: no such change" },
    expect: roles(403, { keyadmin: 404 }),
  },
  // Access reviews: the key team starts and cancels them, approvers decide, auditors read.
  // An HSM and a review that do not exist, so that the matrix starts and decides nothing.
  "GET /api/access-reviews": {
    path: "/api/access-reviews?hsm=keyward-weu",
    expect: roles(403, { keyadmin: 200, approver: 200, auditor: 200 }),
  },
  "POST /api/access-reviews": {
    path: "/api/access-reviews",
    data: { hsm: "no-such-hsm", note: "Authorization matrix" },
    expect: roles(403, { keyadmin: 404 }),
  },
  "GET /api/access-reviews/[id]": {
    path: `/api/access-reviews/${UNKNOWN_SESSION}`,
    expect: roles(403, { keyadmin: 404, approver: 404, auditor: 404 }),
  },
  "POST /api/access-reviews/[id]/items/[assignment]": {
    path: `/api/access-reviews/${UNKNOWN_SESSION}/items/${UNKNOWN_SESSION}`,
    data: { decision: "confirm" },
    expect: roles(403, { approver: 404 }),
  },
  "POST /api/access-reviews/[id]/cancel": {
    path: `/api/access-reviews/${UNKNOWN_SESSION}/cancel`,
    data: { reason: "Authorization matrix: no such review" },
    expect: roles(403, { keyadmin: 404 }),
  },
  // Public keys: anyone who checks the checkpoints may fetch them, signed in or not.
  "GET /api/audit/keys": { path: "/api/audit/keys", expect: all(200) },
  "GET /api/[...path]": { path: "/api/no/such/route", expect: all(404) },
  "POST /api/[...path]": { path: "/api/no/such/route", data: {}, expect: all(404) },
  "PUT /api/[...path]": { path: "/api/no/such/route", data: {}, expect: all(404) },
  "PATCH /api/[...path]": { path: "/api/no/such/route", data: {}, expect: all(404) },
  "DELETE /api/[...path]": { path: "/api/no/such/route", expect: all(404) },
  // Signing out ends the caller's session, so it runs last for each caller.
  "POST /api/auth/sign-out": { path: "/api/auth/sign-out", expect: all(303) },
};

const API_DIR = path.join(import.meta.dirname, "..", "..", "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const CATCH_ALL = "/api/[...path]";

/** The methods a route file serves: the keys it gives routeMethods, or its own exports. */
function servedMethods(source: string): string[] {
  return METHODS.filter((method) =>
    new RegExp(
      `routeMethods\\(\\{[^}]*\\b${method}:|export const ${method}\\b|as ${method}\\b`,
    ).test(source),
  );
}

function discoverRoutes(dir = API_DIR): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...discoverRoutes(full));
    else if (entry.name === "route.ts") {
      const route = `/api/${path.relative(API_DIR, dir).split(path.sep).join("/")}`.replace(
        /\/$/,
        "",
      );
      for (const method of servedMethods(fs.readFileSync(full, "utf8")))
        found.push(`${method} ${route}`);
    }
  }
  return found.sort();
}

async function send(request: APIRequestContext, key: string, entry: Entry, origin: string) {
  const method = key.split(" ")[0]!;
  const mutation = method !== "GET";
  return request.fetch(entry.path, {
    method,
    maxRedirects: 0,
    // A browser sends its own origin with every mutation; the API refuses cookie mutations without it.
    headers: mutation ? { origin } : {},
    ...(entry.data !== undefined ? { data: entry.data } : {}),
  });
}

test("every route handler has an entry in the authorization matrix", () => {
  const discovered = discoverRoutes();
  expect(
    discovered.filter((route) => !(route in MATRIX)),
    "routes without a matrix entry",
  ).toEqual([]);
  expect(
    Object.keys(MATRIX).filter((key) => !discovered.includes(key)),
    "entries for routes that do not exist",
  ).toEqual([]);
});

for (const caller of CALLERS) {
  test(`every route answers ${caller} as the matrix says`, async ({
    playwright,
    stack,
  }, testInfo) => {
    const request = await playwright.request.newContext({ baseURL: stack.portal.url });
    if (caller !== "anonymous") {
      await signInThroughApi(request, account(stack, caller));
      expect((await request.get("/api/health")).status()).toBe(200);
    }
    const observed: string[] = [];
    for (const [key, entry] of Object.entries(MATRIX)) {
      const response = await send(request, key, entry, new URL(stack.portal.url).origin);
      observed.push(`${key.padEnd(40)} ${response.status()}`);
      expect.soft(response.status(), `${key} as ${caller}`).toBe(entry.expect[caller]);
    }
    testInfo.annotations.push({ type: "matrix", description: `${caller}\n${observed.join("\n")}` });
    await request.dispose();
  });
}

/*
 * What a route answers for a method it does not serve: 405 as problem+json with an Allow header
 * naming what it does serve (HEAD wherever GET is, OPTIONS everywhere), and OPTIONS answers 204
 * with the same Allow. The unknown-API catch-all answers 404 to every method instead.
 */
test("every route refuses the methods it does not serve with problem+json and Allow", async ({
  request,
}) => {
  const byRoute = new Map<string, { path: string; served: string[] }>();
  for (const key of discoverRoutes()) {
    const [method, route] = key.split(" ") as [string, string];
    const entry = byRoute.get(route) ?? { path: MATRIX[key]!.path, served: [] };
    entry.served.push(method);
    byRoute.set(route, entry);
  }
  const observed: string[] = [];
  for (const [route, { path: url, served }] of byRoute) {
    const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"]
      .sort()
      .join(", ");
    for (const method of [...METHODS, "HEAD", "OPTIONS"]) {
      if (served.includes(method) || (method === "HEAD" && served.includes("GET"))) continue;
      const response = await request.fetch(url, { method, maxRedirects: 0 });
      const what = `${method} ${route}`;
      observed.push(`${what.padEnd(48)} ${response.status()} ${response.headers().allow ?? "-"}`);
      if (route === CATCH_ALL) {
        expect.soft(response.status(), what).toBe(404);
        if (method !== "HEAD") await expectProblem(response, 404, "not-found", what);
        continue;
      }
      expect.soft(response.headers().allow, `Allow of ${what}`).toBe(allow);
      expectSecurityHeaders(response, what);
      if (method === "OPTIONS") {
        expect.soft(response.status(), what).toBe(204);
        continue;
      }
      expect.soft(response.status(), what).toBe(405);
      if (method === "HEAD") continue;
      const problem = await expectProblem(response, 405, "method-not-allowed", what);
      expect.soft(problem.detail, what).toContain(allow);
    }
  }
  test.info().annotations.push({ type: "methods", description: observed.join("\n") });
});
