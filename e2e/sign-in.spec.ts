import { account, type AccountName } from "@/e2e/fixtures/accounts";
import { signInThroughPage } from "@/e2e/fixtures/sign-in";
import { expect, test } from "@/e2e/fixtures/test";

const LANDINGS: [AccountName, string, string, RegExp][] = [
  ["keyadmin", "Kim Keyadmin", "Key administrator", /\/overview$/],
  ["approver", "Avery Approver", "Approver", /\/overview$/],
  ["auditor", "Aude Auditor", "Auditor", /\/assurance$/],
  ["requester", "Remy Requester", "Requester", /\/my-keys$/],
  ["dualrole", "Dana Dualrole", "Approver, Key administrator", /\/overview$/],
];

test.describe("signing in", () => {
  for (const [name, displayName, roles, landing] of LANDINGS) {
    test(`${name} signs in through the real pages and lands on the shell with their name and role`, async ({
      page,
      stack,
      expectAccessible,
    }) => {
      await page.goto("/");
      await expect(page).toHaveURL(/\/sign-in\?returnTo=%2F$/);
      await expectAccessible();
      await page.getByRole("link", { name: "Sign in with the local identity provider" }).click();
      await expect(page).toHaveURL(new RegExp(`^${stack.idp.signInOrigin}/`));
      await expectAccessible();
      const { login, password } = account(stack, name);
      await page.getByLabel("Username").fill(login);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(landing);
      await expect(page.getByTestId("user-name")).toHaveText(displayName);
      await expect(page.getByTestId("user-roles")).toHaveText(roles);
      await expectAccessible();
    });
  }

  test("a user without a Keyward role gets a clear no-access page", async ({
    page,
    stack,
    expectAccessible,
  }) => {
    await signInThroughPage(page, account(stack, "newcomer"));
    await expect(
      page.getByRole("heading", { name: "You have no access to Keyward yet" }),
    ).toBeVisible();
    await expect(page.getByText("newcomer@keyward.test")).toBeVisible();
    await expect(page.getByRole("navigation")).toHaveCount(0);
    await expectAccessible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signed-out$/);
  });

  test("a wrong password shows an error and signs nobody in", async ({
    page,
    stack,
    expectAccessible,
    consoleErrors,
  }) => {
    await page.goto("/api/auth/sign-in");
    await page.getByLabel("Username").fill(account(stack, "auditor").login);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText("The username or password is incorrect.");
    await expect(page.getByLabel("Username")).toHaveValue(account(stack, "auditor").login);
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible();
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain(
      "__Host-keyward-session",
    );
    // The browser reports the 401 status of the refused form post as a console error.
    expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("401")]);
  });

  test("returns to the page that was asked for", async ({ page, stack }) => {
    await signInThroughPage(page, account(stack, "auditor"), "/account?tab=sessions");
    await expect(page).toHaveURL(/\/account\?tab=sessions$/);
  });

  test("signing out ends the session at the portal and at the provider; the old cookie is dead", async ({
    page,
    stack,
    playwright,
  }) => {
    await signInThroughPage(page, account(stack, "requester"));
    const cookie = (await page.context().cookies()).find(
      (c) => c.name === "__Host-keyward-session",
    );
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });

    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(new RegExp(`^${stack.idp.signInOrigin}/.*/session/end`));
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/signed-out$/);
    await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();

    const replay = await playwright.request.newContext({ baseURL: stack.portal.url });
    const response = await replay.get("/api/me", {
      headers: { cookie: `${cookie!.name}=${cookie!.value}` },
    });
    expect(response.status()).toBe(401);
    await replay.dispose();

    await page.goto("/account");
    await expect(page).toHaveURL(/\/sign-in/);
    // The provider's session ended too: signing in asks for credentials again.
    await page.getByRole("link", { name: "Sign in with the local identity provider" }).click();
    await expect(page.getByLabel("Password")).toBeVisible();
  });

  test("a fresh sign-in can be demanded even while the provider's session lives", async ({
    page,
    stack,
  }) => {
    await signInThroughPage(page, account(stack, "approver"));
    const before = Date.now();
    await page.goto("/api/auth/sign-in?reauth=1&returnTo=/account");
    await expect(
      page.getByText("Keyward asks you to confirm it is you: sign in again."),
    ).toBeVisible();
    await page.getByLabel("Username").fill(account(stack, "approver").login);
    await page.getByLabel("Password").fill(account(stack, "approver").password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account$/);
    const me = await page.request.get("/api/me");
    const authenticatedAt = Date.parse(
      ((await me.json()) as { session: { authenticatedAt: string } }).session.authenticatedAt,
    );
    expect(authenticatedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });
});
