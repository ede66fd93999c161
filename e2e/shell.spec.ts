import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

test.describe("the portal shell", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("shows the status page, with every dependency answering", async ({ page, visit }) => {
    await visit("/status");
    await expect(page.getByRole("heading", { level: 1, name: "System status" })).toBeVisible();
    const dependencies = page.getByRole("region", { name: "Dependencies" }).getByRole("table");
    for (const name of [
      "Database",
      "Identity provider",
      /Managed HSM\s*keyward-weu/,
      /Managed HSM\s*keyward-neu/,
      "Blob storage (backups)",
    ]) {
      const row = dependencies.getByRole("row").filter({ hasText: name });
      // Exactly: "Not answering" contains the word too.
      await expect(row.getByText("Answering", { exact: true })).toBeVisible();
    }
    await expect(page.getByText("Every configured dependency answered.")).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Status" }),
    ).toHaveAttribute("aria-current", "page");
  });

  test("runs the setup checks for a key administrator, each with what it found", async ({
    page,
    visit,
    expectAccessible,
  }) => {
    await visit("/status");
    await page
      .getByRole("navigation", { name: "Status views" })
      .getByRole("link", { name: "Setup" })
      .click();
    await expect(page).toHaveURL(/\/status\?tab=setup$/);
    const checks = page.getByRole("list", { name: "Setup checks" });
    for (const name of [
      "Configuration",
      "Authority metadata",
      "Client-credentials token",
      "App roles of the registration",
      "keyward-weu: Answers",
      "keyward-weu: Read keys and access",
      "keyward-neu: Read keys and access",
      "Storage for backups",
    ]) {
      const row = checks
        .getByRole("listitem")
        .filter({ has: page.getByText(name, { exact: true }) });
      await expect(row.getByText("Pass", { exact: true })).toBeVisible();
    }
    // Locally the portal's identity holds Crypto Auditor: the read rows name it.
    await expect(
      checks.getByRole("listitem").filter({ hasText: "keyward-weu: Read keys and access" }),
    ).toContainText("Managed HSM Crypto Auditor at /");
    await expectAccessible();
  });

  test("can be used with the keyboard alone", async ({ page, visit }) => {
    await visit("/status");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();

    await page.getByRole("button", { name: "Colour theme" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("menuitemradio", { name: "Dark" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("menu")).toBeHidden();
    await expect(page.getByRole("button", { name: "Colour theme" })).toBeFocused();
  });

  test("switches to the dark theme, keeps it across reloads, and stays accessible", async ({
    page,
    visit,
    expectAccessible,
  }) => {
    await visit("/status");
    await page.getByRole("button", { name: "Colour theme" }).click();
    await page.getByRole("menuitemradio", { name: "Dark" }).click();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await expectAccessible();
    await page.getByRole("button", { name: "Colour theme" }).click();
    await page.getByRole("menuitemradio", { name: "Light" }).click();
    await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  });

  test("offers the navigation as a dialog on a narrow screen", async ({
    page,
    visit,
    expectAccessible,
  }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await visit("/status");
    const open = page.getByRole("button", { name: "Open navigation" });
    await open.click();
    const dialog = page.getByRole("dialog", { name: "Keyward" });
    await expect(dialog.getByRole("link", { name: "Status" })).toBeVisible();
    await expectAccessible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(open).toBeFocused();
  });

  test("shows a not-found page for an unknown address", async ({ page, visit, consoleErrors }) => {
    const response = await page.request.get("/no-such-page");
    expect(response.status()).toBe(404);
    await visit("/no-such-page");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    // The browser reports the document's own 404 status as a console error; that one is expected.
    expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("404 (Not Found)")]);
  });
});

test.describe("the status page for an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("has no Setup tab, and the setup address shows the dependencies", async ({
    page,
    visit,
  }) => {
    await visit("/status?tab=setup");
    await expect(page.getByRole("region", { name: "Dependencies" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Status views" })).toHaveCount(0);
    await expect(page.getByRole("list", { name: "Setup checks" })).toHaveCount(0);
  });
});
