import { expect, test } from "@/e2e/fixtures/test";

const PROBLEM = "application/problem+json";

test.describe("the API", () => {
  test("reports liveness with the version and the database", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("private, no-store");
    expect(response.headers()["x-request-id"]).toBeTruthy();
    expect(await response.json()).toMatchObject({
      status: "pass",
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      checks: { database: { status: "pass" } },
    });
  });

  test("reports readiness of every configured dependency", async ({ request }) => {
    const response = await request.get("/api/ready");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { checks: { name: string; status: string }[] };
    expect(body.checks.map((c) => [c.name, c.status])).toEqual([
      ["database", "pass"],
      ["blob-storage", "pass"],
    ]);
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
      headers: { origin: "https://evil.example", cookie: "session=stolen" },
      data: {},
    });
    expect(response.status()).toBe(403);
    expect(response.headers()["content-type"]).toBe(PROBLEM);
    expect(((await response.json()) as { detail: string }).detail).toContain(
      "Cross-origin request refused",
    );
  });

  test("refuses a method a route does not serve", async ({ request }) => {
    const response = await request.delete("/api/health");
    expect(response.status()).toBe(405);
  });
});
