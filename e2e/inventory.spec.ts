import type { Page } from "@playwright/test";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { setFaults } from "@/e2e/fixtures/emulator";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The inventory as each role meets it, in Chromium, over the demo data the launcher seeded and
 * the portal synced: the key team searches, filters, sorts, pages and opens keys; a requester
 * sees only the keys their groups own; an auditor sees everything and no action; a failing HSM
 * shows its last good data under a banner.
 */

const PAYMENTS_TEAM = "3243182d-1727-4605-9abd-29ce37fe0480";

/** The key team's rows start with a box to tick for a bulk change: their cells sit one further right. */
function rows(page: Page) {
  return page.getByRole("region", { name: "Keys" }).getByRole("row");
}

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("sees every HSM on the overview", async ({ page, visit }) => {
    await visit("/");
    await expect(page).toHaveURL(/\/overview$/);
    for (const hsm of ["keyward-weu", "keyward-neu"]) {
      const card = page.getByRole("region", { name: hsm });
      await expect(card.getByText(/Last synced/)).toBeVisible();
      await expect(card.getByText("activated")).toBeVisible();
      const keys = Number(
        (
          await card
            .getByText("Keys", { exact: true })
            .locator("..")
            .locator("span")
            .nth(1)
            .innerText()
        ).replace(/,/g, ""),
      );
      expect(keys).toBeGreaterThan(100);
      await expect(card.getByRole("button", { name: "Sync now" })).toBeVisible();
    }
    await expect(
      page.getByRole("region", { name: "Recent syncs" }).getByText("succeeded").first(),
    ).toBeVisible();
  });

  test("searches, filters, sorts and pages the keys, all in the URL", async ({ page, visit }) => {
    // A long journey: seven page loads, each checked with axe; on a busy 2-core machine it can
    // pass the default 30 s while every step is still well within its own timeout.
    test.slow();
    await visit("/keys");
    await expect(page.getByText(/Showing 1–25 of \d+/)).toBeVisible();

    // A search keeps focus in the search box.
    const search = page.getByLabel("Search name or tag");
    await search.fill("payments-signing");
    await search.press("Enter");
    await expect(page).toHaveURL(/q=payments-signing/);
    await expect(search).toBeFocused();
    const names = await rows(page).locator("td:nth-child(2)").allInnerTexts();
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) expect(name).toContain("payments-signing");

    await visit("/keys");
    // A changed menu applies without the button, and focus stays on the menu.
    await page.getByLabel("Key type").selectOption("RSA");
    await expect(page).toHaveURL(/type=RSA/);
    await expect(page.getByLabel("Key type")).toBeFocused();
    await page.getByLabel("Expiry").selectOption("expired");
    await expect(page).toHaveURL(/type=RSA.*expiry=expired/);
    await expect(page.getByLabel("Expiry")).toBeFocused();
    const typeCells = await rows(page).locator("td:nth-child(4)").allInnerTexts();
    expect(typeCells.length).toBeGreaterThan(0);
    for (const type of typeCells) expect(type).toMatch(/^RSA \d{4}$/);
    const expired = await rows(page)
      .locator("td:nth-child(6) time")
      .evaluateAll((times) => times.map((t) => Date.parse(t.getAttribute("datetime") ?? "")));
    expect(expired.length).toBe(typeCells.length);
    for (const expiry of expired) expect(expiry).toBeLessThan(Date.now());
    // A disabled key says so first; every other one says it has expired.
    for (const state of await rows(page).locator("td:nth-child(5)").allInnerTexts())
      expect(["Expired", "Disabled"]).toContain(state);

    await visit("/keys?expiry=90d");
    const expires = page.getByRole("link", { name: /^Expires/ });
    await expires.click();
    await expect(page).toHaveURL(/sort=expires/);
    await expect(expires).toBeFocused();
    await expect(page.getByRole("columnheader", { name: /Expires/ })).toHaveAttribute(
      "aria-sort",
      "ascending",
    );
    const expiries = await rows(page)
      .locator("td:nth-child(6) time")
      .evaluateAll((times) => times.map((t) => t.getAttribute("datetime") ?? ""));
    expect(expiries.length).toBeGreaterThan(1);
    expect([...expiries].sort()).toEqual(expiries);
    // From the keyboard too: the sort link keeps focus, not the top of the page.
    await page.keyboard.press("Enter");
    await expect(page.getByRole("columnheader", { name: /Expires/ })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
    await expect(expires).toBeFocused();

    await visit("/keys");
    await page
      .getByRole("navigation", { name: "Pages" })
      .getByRole("link", { name: "Next" })
      .click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByText(/Showing 26–50 of/)).toBeVisible();
  });

  test("opens a key: attributes, rotation, live versions and who can reach it", async ({
    page,
    visit,
  }) => {
    await visit("/keys?q=payments-signing-prod-01&hsm=keyward-weu");
    await rows(page).getByRole("link", { name: "payments-signing-prod-01" }).click();
    await expect(
      page.getByRole("heading", { level: 1, name: "payments-signing-prod-01" }),
    ).toBeVisible();
    await expect(page.getByText("Read live from the HSM")).toBeVisible();
    await expect(page.getByRole("region", { name: "Versions" }).getByText("current")).toBeVisible();
    const access = page.getByRole("region", { name: "Role assignments" });
    await expect(access.getByText("This key").first()).toBeVisible();
    await expect(access.getByText("Whole HSM").first()).toBeVisible();
    await expect(page.getByRole("link", { name: "Public key (PEM)" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sync this key" })).toBeVisible();
    await page.waitForLoadState("networkidle");
  });

  test("exports the current filter as CSV", async ({ page }) => {
    const response = await page.request.get("/api/keys/export?type=EC&hsm=keyward-neu");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers()["content-disposition"]).toMatch(
      /^attachment; filename="keyward-keys-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "hsm,name,type,size,curve,enabled,not_before,expires,created,updated,versions,rotation_policy,next_rotation,owner,tags",
    );
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines.slice(1)) expect(line).toMatch(/^keyward-neu,[^,]+,EC-HSM,/);
  });

  test("lists soft-deleted keys with their purge dates", async ({ page, visit }) => {
    await visit("/deleted-keys");
    const table = page.getByRole("region", { name: "Deleted keys" });
    await expect(table.getByRole("row")).toHaveCount(15);
    // The purges are still to come: scheduled, not done.
    await expect(table.getByRole("columnheader", { name: "Purge scheduled" })).toBeVisible();
    await table.getByRole("link", { name: "legacy-weu-01" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "legacy-weu-01" })).toBeVisible();
    await expect(page.getByText("Purge scheduled", { exact: true })).toBeVisible();
    await expect(page.getByText("Purged", { exact: true })).toHaveCount(0);
  });

  test("sees the last good data under a banner while an HSM is failing", async ({
    page,
    visit,
    stack,
  }) => {
    test.setTimeout(120_000);
    await visit("/overview");
    const card = page.getByRole("region", { name: "keyward-neu" });
    await setFaults(stack, "keyward-neu", { unavailableRate: 1 });
    try {
      await card.getByRole("button", { name: "Sync now" }).click();
      await expect(card.getByText(/Sync failed: HSM keyward-neu is unavailable/)).toBeVisible({
        timeout: 90_000,
      });
      await visit("/keys?hsm=keyward-neu");
      const banner = page.getByTestId("freshness-keyward-neu");
      await expect(banner).toContainText("keyward-neu: Sync failing");
      await expect(banner).toContainText("Showing the data of the last good sync");
      await expect(page.getByText(/Showing 1–25 of \d+/)).toBeVisible();
    } finally {
      await setFaults(stack, "keyward-neu", {});
    }
    await visit("/overview");
    await page
      .getByRole("region", { name: "keyward-neu" })
      .getByRole("button", { name: "Sync now" })
      .click();
    await expect(
      page.getByRole("region", { name: "keyward-neu" }).getByText(/^Synced/),
    ).toBeVisible({ timeout: 30_000 });
    await visit("/keys?hsm=keyward-neu");
    await expect(page.getByTestId("freshness-keyward-neu")).toHaveCount(0);
  });
});

test.describe("a requester", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("sees only the keys their groups own, and nothing else exists for them", async ({
    page,
    visit,
    consoleErrors,
  }) => {
    await visit("/keys?pageSize=100");
    // The owner column names the group, its object id on hover.
    const owners = await rows(page)
      .locator("td:nth-child(8) [title]")
      .evaluateAll((cells) => cells.map((c) => `${c.textContent} ${c.getAttribute("title")}`));
    expect(owners.length).toBeGreaterThan(5);
    for (const owner of owners)
      expect(owner).toBe(`Payments team Group object id ${PAYMENTS_TEAM}`);
    for (const name of await rows(page).locator("td:first-child").allInnerTexts())
      expect(name).toMatch(/^payments-/);

    const api = await page.request.get("/api/keys?q=data-lake");
    expect(((await api.json()) as { total: number }).total).toBe(0);
    const foreign = await page.goto("/keys/keyward-weu/data-lake-storage-cmk-prod-01");
    expect(foreign?.status()).toBe(404);
    expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("404")]);
    await expect(page.getByRole("button", { name: /Sync/ })).toHaveCount(0);
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("sees every key and no action", async ({ page, visit }) => {
    const asAuditor = (await (await page.request.get("/api/keys")).json()) as { total: number };
    await visit("/overview");
    await expect(page.getByRole("region", { name: "keyward-weu" })).toBeVisible();
    await expect(page.getByRole("button", { name: /Sync/ })).toHaveCount(0);
    await visit("/keys/keyward-weu/data-lake-storage-cmk-prod-01");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "data-lake-storage-cmk-prod-01",
    );
    await expect(page.getByRole("button", { name: /Sync/ })).toHaveCount(0);
    expect(asAuditor.total).toBeGreaterThan(250);
    const sync = await page.request.post("/api/sync", {
      data: { hsm: "keyward-weu" },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(sync.status()).toBe(403);
  });
});
