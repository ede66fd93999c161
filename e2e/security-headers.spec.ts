import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

test.describe("security headers", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("every page carries a nonce-based CSP that its scripts satisfy", async ({ page }) => {
    const response = await page.goto("/status");
    const headers = response!.headers();
    const csp = headers["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-powered-by"]).toBeUndefined();
    expect(headers["strict-transport-security"]).toBeUndefined();

    const scriptNonces = await page
      .locator("script")
      .evaluateAll((scripts) => scripts.map((script) => (script as HTMLScriptElement).nonce));
    expect(scriptNonces.length).toBeGreaterThan(0);
    for (const value of scriptNonces) expect(value).toBe(nonce);
    await expect(page.getByRole("heading", { name: "System status" })).toBeVisible();
  });

  test("each response gets a fresh nonce", async ({ request }) => {
    const nonces = await Promise.all(
      [1, 2, 3].map(
        async () => (await request.get("/status")).headers()["content-security-policy"],
      ),
    );
    expect(new Set(nonces).size).toBe(3);
  });

  test("static assets carry the fixed headers too", async ({ page, request }) => {
    await page.goto("/status");
    const stylesheet = await page.locator('link[rel="stylesheet"]').first().getAttribute("href");
    const asset = await request.get(stylesheet!);
    expect(asset.status()).toBe(200);
    expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
    expect(asset.headers()["x-powered-by"]).toBeUndefined();
  });

  test("a path that only begins like one the proxy skips still gets the proxy's headers", async ({
    request,
  }) => {
    for (const path of ["/openapi.jsonx", "/api/healthz", "/favicon.icon"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.headers()["content-security-policy"], path).toBeTruthy();
    }
  });
});
