import { account, storageStatePath } from "@/e2e/fixtures/accounts";
import { ageSession } from "@/e2e/fixtures/database";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";
import { expect, test } from "@/e2e/fixtures/test";

const SESSION_COOKIE = "__Host-keyward-session";

test.describe("session cookies", () => {
  test("a tampered session cookie is refused by the API and the pages", async ({
    playwright,
    stack,
  }) => {
    const context = await playwright.request.newContext({ baseURL: stack.portal.url });
    await signInThroughApi(context, account(stack, "keyadmin"));
    const { cookies } = await context.storageState();
    const real = cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    const tampered = `${real.slice(0, -1)}${real.endsWith("A") ? "B" : "A"}`;
    const headers = { cookie: `${SESSION_COOKIE}=${tampered}` };
    const anonymous = await playwright.request.newContext({ baseURL: stack.portal.url });
    expect((await anonymous.get("/api/me", { headers })).status()).toBe(401);
    const page = await anonymous.get("/status", { headers, maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(page.headers().location).toContain("/sign-in?returnTo=%2Fstatus");
    expect((await context.get("/api/me")).status()).toBe(200);
    await Promise.all([context.dispose(), anonymous.dispose()]);
  });

  test("a session idle for longer than the timeout is refused, and the page says so", async ({
    browser,
    stack,
  }) => {
    const context = await browser.newContext();
    await signInThroughApi(context.request, account(stack, "auditor"));
    const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!;
    expect((await context.request.get("/api/me")).status()).toBe(200);
    ageSession(stack, cookie.value, 31 * 60_000);
    expect((await context.request.get("/api/me")).status()).toBe(401);
    const page = await context.newPage();
    await page.goto("/status");
    // Next adds its own (empty) route announcer with role="alert"; pick the page's message.
    await expect(page.getByRole("alert").filter({ hasText: "session" })).toHaveText(
      "Your session ended. Sign in again to continue.",
    );
    await context.close();
  });

  test("a mutation from a foreign origin is refused even with a valid session", async ({
    playwright,
    stack,
  }) => {
    const context = await playwright.request.newContext({
      baseURL: stack.portal.url,
      storageState: storageStatePath("requester"),
    });
    const { sessions } = (await (await context.get("/api/me/sessions")).json()) as {
      sessions: { id: string }[];
    };
    const target = sessions[0]!.id;
    const foreign = await context.delete(`/api/me/sessions/${target}`, {
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status()).toBe(403);
    expect(((await foreign.json()) as { detail: string }).detail).toContain(
      "Cross-origin request refused",
    );
    const missing = await context.delete(`/api/me/sessions/${target}`);
    expect(missing.status()).toBe(403);
    expect((await context.get("/api/me")).status()).toBe(200);
    await context.dispose();
  });

  test("a user sees their sessions and can end another one", async ({
    browser,
    stack,
    expectAccessible,
  }) => {
    const other = await browser.newContext();
    await signInThroughApi(other.request, account(stack, "dualrole"));
    const otherId = (
      (await (await other.request.get("/api/me")).json()) as { session: { id: string } }
    ).session.id;
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughApi(context.request, account(stack, "dualrole"));
    await page.goto("/account");
    const table = page.getByRole("table");
    await expect(table.getByText("This browser")).toBeVisible();
    await expectAccessible(page);
    const row = table.locator(`tr[data-session-id="${otherId}"]`);
    await row.getByRole("button", { name: "End session" }).click();
    await expect(row).toHaveCount(0);
    expect((await other.request.get("/api/me")).status()).toBe(401);
    expect((await context.request.get("/api/me")).status()).toBe(200);
    await Promise.all([other.close(), context.close()]);
  });
});
