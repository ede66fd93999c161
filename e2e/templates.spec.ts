import { storageStatePath } from "@/e2e/fixtures/accounts";
import { filedRequest } from "@/e2e/fixtures/requests";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Key templates: everyone reads the demo's three; the key team changes one through a
 * template.upsert request (withdrawn here, so the seeded templates stay as other specs expect
 * them) and sees the change in words; a requester is offered no change.
 */

const DEMO = [
  "Storage CMK (RSA-HSM 3072, rotate yearly)",
  "Signing (EC P-256, rotate every 90 days)",
  "Data key wrap (oct-HSM 256)",
];

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("files a change of a template and reads it in words", async ({
    page,
    visit,
    consoleErrors,
  }) => {
    await visit("/templates");
    for (const title of DEMO) await expect(page.getByText(title, { exact: true })).toBeVisible();
    await page.getByRole("link", { name: "Change Data key wrap (oct-HSM 256)" }).click();
    await expect(page).toHaveURL(/\/templates\/edit\?name=data-key-wrap$/);
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("data-key-wrap");
    await page.getByLabel("Approvals a request needs").selectOption("1");
    await page.getByLabel("Naming rule").fill("{group}-{app}-{nn}");
    await expect(page.getByText("For the Payments team: payments-shop-01")).toBeVisible();
    await page.getByLabel("Naming rule").fill("{group}-{app}-wrap-{environment}-{nn}");
    await page
      .getByLabel("Justification")
      .fill("Wrapping keys get a second pair of eyes from now on.");
    await page.getByRole("button", { name: "File the request" }).click();
    const filed = await filedRequest(page);
    expect(filed).toMatchObject({
      kind: "template.upsert",
      state: "pending",
      approvalsRequired: 2,
    });
    expect(filed.items[0]!.change).toMatchObject({ name: "data-key-wrap", approvals: 1 });

    await page.getByRole("link", { name: "View the request" }).click();
    await expect(page.getByText("change key template data-key-wrap")).toBeVisible();
    await expect(
      page.getByText("Approvals: no approval (executes at once) → 1 approval"),
    ).toBeVisible();
    await page.getByRole("button", { name: "Cancel this request" }).click();
    await page.getByRole("button", { name: "Yes, cancel the request" }).click();
    await expect(page.getByRole("main").locator("[data-state]").first()).toHaveText("Cancelled");
    expect(consoleErrors).toEqual([]);
  });

  test("is told what a template refuses before filing", async ({ page }) => {
    await page.goto("/templates/edit");
    await page.getByLabel("Name", { exact: true }).fill("bad-template");
    await page.getByLabel("Title").fill("A bad template");
    await page.getByLabel("Purpose").fill("Shows the editor's checks");
    await page.getByLabel("Naming rule").fill("{group}-{team}");
    await page.getByLabel("Justification").fill("Nothing is filed by this test.");
    await page.getByRole("button", { name: "File the request" }).click();
    await expect(
      page.getByText("A naming rule holds {nn}, so that one group can have several keys."),
    ).toBeVisible();
    await expect(page.getByText("Request filed")).toHaveCount(0);
  });
});

test.describe("a requester", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("reads the templates and is offered no change", async ({ page, visit, consoleErrors }) => {
    await visit("/templates");
    for (const title of DEMO) await expect(page.getByText(title, { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: /^Change (Storage|Signing|Data)/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New template" })).toHaveCount(0);
    expect((await page.goto("/templates/edit"))?.status()).toBe(403);
    expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("403")]);
  });
});
