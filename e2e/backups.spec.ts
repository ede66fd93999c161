import { storageStatePath } from "@/e2e/fixtures/accounts";
import { filedRequest } from "@/e2e/fixtures/requests";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The backups page: the key team backs an HSM up now and watches the run end in the history,
 * and files a new schedule as a change request; an auditor reads the same page with nothing to
 * start or file.
 */

/** The smaller demo HSM: its backup is the quicker one. */
const HSM = "keyward-neu";

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("backs an HSM up now and sees the run succeed", async ({ page, visit }) => {
    test.slow();
    await visit("/backups");
    const card = page.getByRole("region", { name: HSM });
    await card.getByRole("button", { name: `Back up ${HSM} now` }).click();
    const follow = card.getByRole("link", { name: "Follow the run" });
    await expect(follow).toBeVisible();
    const href = await follow.getAttribute("href");
    expect(href).toMatch(/^\/backups\/runs\/[0-9a-f-]{36}$/);

    // The run's row links to its page; reload until it has ended.
    const row = page.getByRole("row").filter({ has: page.locator(`a[href="${href}"]`) });
    await expect(async () => {
      await page.goto(`/backups?hsm=${HSM}`);
      await expect(row.getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000, intervals: [1_000] });
    await expect(row).toContainText("Manual");
    await expect(page.getByRole("combobox", { name: "HSM" })).toHaveValue(HSM);
    await expect(card.locator("[data-freshness]")).toHaveAttribute("data-freshness", "fresh");
  });

  test("files a new backup schedule with the cron in words", async ({ page }) => {
    await page.goto("/backups");
    await page.getByRole("button", { name: `New schedule for ${HSM}` }).click();
    const dialog = page.getByRole("dialog", { name: `New backup schedule for ${HSM}` });
    await dialog.getByLabel("Name").fill("e2e-weekly");
    const cron = dialog.getByLabel("When (cron)");
    await cron.fill("not a cron");
    await expect(dialog.getByText(/Five fields: minute, hour/)).toBeVisible();
    await cron.fill("30 3 * * 0");
    await dialog.getByLabel("Time zone").fill("Europe/Berlin");
    await expect(dialog.getByText(/At 03:30, only on Sunday \(Europe\/Berlin\)/)).toBeVisible();
    await dialog.getByLabel("Keep the last (backups)").fill("0");
    await dialog.getByLabel("Justification").fill("A weekly backup kept off-site for e2e");
    await dialog.getByRole("button", { name: "File the request" }).click();
    await expect(dialog.getByLabel("Keep the last (backups)")).toHaveAttribute(
      "aria-invalid",
      "true",
    );
    await dialog.getByLabel("Keep the last (backups)").fill("4");
    await dialog.getByRole("button", { name: "File the request" }).click();
    const request = await filedRequest(page);
    expect(request).toMatchObject({ kind: "backup-schedule.upsert", hsm: HSM, state: "pending" });
    expect(request.items[0]!.change).toMatchObject({
      name: "e2e-weekly",
      cron: "30 3 * * 0",
      timeZone: "Europe/Berlin",
      retention: { keepLast: 4 },
    });
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("reads the backups and the history, with nothing to start or file", async ({
    page,
    visit,
  }) => {
    await visit("/backups");
    await expect(page.getByRole("heading", { name: "Run history" })).toBeVisible();
    // The seed backed each HSM up once.
    await expect(
      page.getByRole("region", { name: "Backup runs" }).getByRole("link").first(),
    ).toBeVisible();
    await expect(page.getByRole("region", { name: HSM })).toBeVisible();
    await expect(
      page.getByRole("list", { name: `Backups of ${HSM}, the last 30 days` }),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: /Back up .* now/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /New schedule/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /schedule nightly/ })).toHaveCount(0);
    // The demo's seeded schedule, in words.
    await expect(page.getByRole("region", { name: HSM })).toContainText(
      "At 02:00, every day (Europe/Berlin)",
    );
    await expect(page.getByRole("link", { name: "Backups" })).toBeVisible();
  });
});

test.describe("a requester", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("is refused the backups page in words", async ({ page, visit, consoleErrors }) => {
    const response = await page.request.get("/backups", { maxRedirects: 0 });
    expect(response.status()).toBe(403);
    await visit("/backups");
    await expect(page.getByRole("heading", { name: "You cannot open this page" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Backups" })).toHaveCount(0);
    expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("403")]);
  });
});
