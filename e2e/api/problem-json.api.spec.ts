import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

const PROBLEM = "application/problem+json";

test.describe("the API", () => {
  test("reports liveness with the version and the database", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    // The proxy skips the probe; withRoute and next.config.ts give it every API header.
    expect(response.headers()).toMatchObject({
      "cache-control": "private, no-store",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
    });
    expect(response.headers()["x-request-id"]).toBeTruthy();
    expect(await response.json()).toMatchObject({
      status: "pass",
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      checks: { database: { status: "pass" } },
    });
  });

  test("answers an unknown API path with problem+json, not an HTML page", async ({ request }) => {
    const response = await request.get("/api/no-such-thing");
    expect(response.status()).toBe(404);
    expect(response.headers()["content-type"]).toBe(PROBLEM);
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: "urn:keyward:problem:not-found",
      title: "Not found",
      status: 404,
      instance: "/api/no-such-thing",
      requestId: response.headers()["x-request-id"],
    });
  });

  test("refuses a cookie-carrying mutation from a foreign origin", async ({ request }) => {
    const response = await request.post("/api/no-such-thing", {
      headers: { origin: "https://evil.example", cookie: "__Host-keyward-session=stolen" },
      data: {},
    });
    expect(response.status()).toBe(403);
    expect(response.headers()["content-type"]).toBe(PROBLEM);
    expect(((await response.json()) as { detail: string }).detail).toContain(
      "Cross-origin request refused",
    );
  });

  test("asks for sign-in, and names the missing permission, as problem+json", async ({
    request,
    playwright,
    stack,
  }) => {
    const anonymous = await request.get("/api/me");
    expect(anonymous.status()).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      type: "urn:keyward:problem:unauthenticated",
      detail: "Sign in to use this API.",
    });
    const newcomer = await playwright.request.newContext({
      baseURL: stack.portal.url,
      storageState: storageStatePath("newcomer"),
    });
    const refused = await newcomer.get("/api/me");
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain('"account.read"');
    await newcomer.dispose();
  });

  test("validates path parameters before touching anything", async ({ playwright, stack }) => {
    const context = await playwright.request.newContext({
      baseURL: stack.portal.url,
      storageState: storageStatePath("auditor"),
    });
    const response = await context.delete("/api/me/sessions/not-a-session-id", {
      headers: { origin: new URL(stack.portal.url).origin },
    });
    expect(response.status()).toBe(422);
    expect(await response.json()).toMatchObject({
      errors: [{ in: "params", pointer: "#/sessionId" }],
    });
    await context.dispose();
  });

  test("refuses a method a route does not serve, naming the ones it does", async ({ request }) => {
    const response = await request.delete("/api/health");
    expect(response.status()).toBe(405);
    expect(response.headers()["content-type"]).toBe(PROBLEM);
    expect(response.headers().allow).toBe("GET, HEAD, OPTIONS");
    expect(await response.json()).toMatchObject({
      type: "urn:keyward:problem:method-not-allowed",
      title: "Method not allowed",
      status: 405,
      detail: "DELETE is not a method of /api/health; it answers GET, HEAD, OPTIONS.",
      instance: "/api/health",
      requestId: response.headers()["x-request-id"],
    });
    const options = await request.fetch("/api/health", { method: "OPTIONS" });
    expect(options.status()).toBe(204);
    expect(options.headers().allow).toBe("GET, HEAD, OPTIONS");
  });

  test("answers a method no route knows with 501 problem+json", async ({ request }) => {
    // Not on the liveness probe, which the proxy skips: Next answers it with an empty 400.
    for (const url of ["/api/keys", "/api/no-such-thing"]) {
      const response = await request.fetch(url, { method: "PROPFIND" });
      expect(response.status()).toBe(501);
      expect(response.headers()["content-type"]).toBe(PROBLEM);
      expect(response.headers()["x-content-type-options"]).toBe("nosniff");
      expect(await response.json()).toMatchObject({
        type: "urn:keyward:problem:not-implemented",
        status: 501,
        instance: url,
        requestId: response.headers()["x-request-id"],
      });
    }
  });

  test.describe("as the key team", () => {
    test.use({ storageState: storageStatePath("keyadmin") });

    test("names every invalid inventory filter", async ({ request }) => {
      const response = await request.get("/api/keys?type=DSA&pageSize=7&expiry=soon");
      expect(response.status()).toBe(422);
      const problem = (await response.json()) as { errors: { in: string; pointer: string }[] };
      expect(problem.errors.map((e) => `${e.in}${e.pointer}`).sort()).toEqual([
        "query#/expiry",
        "query#/pageSize",
        "query#/type",
      ]);
    });

    test("refuses a sync of an unknown HSM or with unknown fields", async ({ request, stack }) => {
      const origin = new URL(stack.portal.url).origin;
      const unknown = await request.post("/api/sync", {
        headers: { origin },
        data: { hsm: "contoso-weu" },
      });
      expect(unknown.status()).toBe(404);
      expect(((await unknown.json()) as { detail: string }).detail).toBe(
        "There is no HSM named contoso-weu in this portal's configuration.",
      );
      const extra = await request.post("/api/sync", {
        headers: { origin },
        data: { hsm: "keyward-weu", everything: true },
      });
      expect(extra.status()).toBe(422);
      const gone = await request.post("/api/sync", {
        headers: { origin },
        data: { hsm: "keyward-weu", key: "no-such-key" },
      });
      expect(gone.status()).toBe(404);
    });

    test("explains that an AES key has no public key", async ({ request }) => {
      const keys = (await (
        await request.get("/api/keys?type=oct&hsm=keyward-weu&pageSize=25")
      ).json()) as {
        items: { name: string }[];
      };
      const aes = keys.items[0]!.name;
      const response = await request.get(`/api/hsms/keyward-weu/keys/${aes}/public-key`);
      expect(response.status()).toBe(404);
      expect(((await response.json()) as { detail: string }).detail).toBe(
        `Key ${aes} is an AES key: it has no public part.`,
      );
    });
  });
});
