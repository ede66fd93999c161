import type { APIRequestContext } from "@playwright/test";

import { account, storageStatePath } from "@/e2e/fixtures/accounts";
import { callHsmAsTool } from "@/e2e/fixtures/emulator";
import { signInThroughPage } from "@/e2e/fixtures/sign-in";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The auditor's home: an auditor signs in and lands on /assurance, which shows, from the seeded
 * stack and what this spec adds (a verification, an evidence pack, a key created behind the
 * portal's back), every section with its data and no control that changes anything. The key
 * team reads it too, lower in its sidebar; roles without audit.read are refused.
 */

const HSM = "keyward-neu";
/** A key of this run's own, created out of band and explained again at the end. */
const KEY = `e2e-assurance-${Date.now().toString(36)}`;
const SUMMARY = `key ${KEY}: created`;

async function apiAs(
  playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } },
  baseURL: string,
  name: "keyadmin" | "auditor",
) {
  return playwright.request.newContext({ baseURL, storageState: storageStatePath(name) });
}

test.describe("an auditor", () => {
  test("lands on the assurance page after signing in and sees every section with data", async ({
    page,
    playwright,
    stack,
    expectAccessible,
  }) => {
    test.slow();
    const origin = { origin: new URL(stack.portal.url).origin };
    const keyAdmin = await apiAs(playwright, stack.portal.url, "keyadmin");
    const auditor = await apiAs(playwright, stack.portal.url, "auditor");
    try {
      // A change behind the portal's back, found by a sync of the key.
      await callHsmAsTool(stack, HSM, "POST", `/keys/${KEY}/create`, { kty: "EC", crv: "P-256" });
      const synced = await keyAdmin.post("/api/sync", {
        data: { hsm: HSM, key: KEY },
        headers: origin,
      });
      expect(synced.status(), await synced.text()).toBe(200);
      // The chain verified, and a pack exported, by the auditor.
      expect((await auditor.get("/api/audit/verify")).status()).toBe(200);
      const pack = await auditor.get("/api/evidence?from=2026-01-01&to=2026-12-31&hsm=keyward-weu");
      expect(pack.status()).toBe(200);
      await pack.body();

      await signInThroughPage(page, account(stack, "auditor"));
      await expect(page).toHaveURL(/\/assurance$/);
      await expect(page.getByRole("heading", { level: 1, name: "Assurance" })).toBeVisible();
      await expectAccessible();
      const main = page.getByRole("main");

      const audit = main.getByRole("region", { name: "Audit log and evidence", exact: true });
      await expect(audit.getByRole("status", { name: "Audit chain verification" })).toContainText(
        "The audit chain verified",
      );
      await expect(audit.getByTestId("last-evidence-pack")).toContainText(
        /Exported .* by Aude Auditor: 2026-01-01 to 2026-12-31, keyward-weu/,
      );
      await expect(audit.getByRole("link", { name: "Open the audit log" })).toHaveAttribute(
        "href",
        "/audit",
      );

      const outOfBand = main.getByRole("region", { name: "Open out-of-band changes", exact: true });
      const neuRow = outOfBand.getByRole("row", { name: new RegExp(`^${HSM} [1-9]`) });
      await expect(neuRow).toBeVisible();
      await expect(outOfBand).toContainText(SUMMARY);

      const sod = main.getByRole("region", { name: "Separation-of-duties findings", exact: true });
      await expect(sod.getByRole("columnheader")).toHaveText([
        "HSM",
        "Critical",
        "High",
        "Medium",
        "Low",
      ]);
      await expect(sod.getByRole("row", { name: /^keyward-weu/ })).toBeVisible();
      await expect(sod.getByRole("row", { name: /^keyward-neu/ })).toBeVisible();
      const findings = sod.getByRole("link", { name: / in keyward-(weu|neu)$/ });
      expect(await findings.count()).toBeGreaterThan(0);
      await expect(findings.first()).toHaveAttribute("href", /^\/sod\?hsm=keyward-.*&severity=/);

      const rotation = main.getByRole("region", { name: "Rotation compliance", exact: true });
      for (const hsm of ["keyward-weu", "keyward-neu"]) {
        const cells = rotation.getByRole("row", { name: new RegExp(`^${hsm} `) }).getByRole("cell");
        // The seeded HSMs have keys, some with rotation policies.
        expect(Number(await cells.nth(1).innerText())).toBeGreaterThan(0);
      }
      await expect(
        rotation.getByRole("img", {
          name: /^Keys with a rotation policy at each month's end: \d+%/,
        }),
      ).toBeVisible();
      const lastMonth = rotation.getByRole("table").last().getByRole("row").last();
      await expect(lastMonth.getByRole("cell").last()).toHaveText(
        /^[1-9]\d* on time, \d+ late, \d+ not known$/,
      );
      await expect(rotation.getByTestId("rotation-basis")).toContainText(
        "Based on the inventory mirror",
      );

      const backups = main.getByRole("region", { name: "Backups", exact: true });
      for (const hsm of ["keyward-weu", "keyward-neu"])
        await expect(
          backups.getByRole("list", { name: `Backups of ${hsm}, the last 30 days` }),
        ).toBeVisible();
      // The seed backs up each HSM once: at least two good backups in the 30 days.
      await expect(
        backups.getByRole("img", {
          name: /^Backup outcomes per day, the last 30 days: ([2-9]|\d{2,}) good/,
        }),
      ).toBeVisible();

      // Each HSM's reviews: completed ones link to the review, or the HSM was never reviewed.
      const reviews = main.getByRole("region", { name: "Access reviews", exact: true });
      for (const hsm of ["keyward-weu", "keyward-neu"])
        await expect(reviews.getByRole("row", { name: new RegExp(`^${hsm} `) })).toContainText(
          /Never reviewed|confirmed, \d+ flagged for removal/,
        );

      // An auditor changes nothing: no button and no form on the page.
      await expect(main.getByRole("button")).toHaveCount(0);
      await expect(main.locator("form")).toHaveCount(0);
    } finally {
      const listed = (await (await keyAdmin.get(`/api/out-of-band?hsm=${HSM}`)).json()) as {
        changes: { id: string; subjectName: string }[];
      };
      for (const change of listed.changes.filter((c) => c.subjectName === KEY))
        await keyAdmin.post(`/api/out-of-band/${change.id}/explain`, {
          data: { reason: "Created by the assurance end-to-end test" },
          headers: origin,
        });
      await keyAdmin.dispose();
      await auditor.dispose();
    }
  });
});

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("reads the assurance page from its sidebar, below its own home", async ({ page, visit }) => {
    await visit("/");
    await expect(page).toHaveURL(/\/overview$/);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Assurance" })
      .click();
    await expect(page).toHaveURL(/\/assurance$/);
    await expect(
      page.getByRole("region", { name: "Rotation compliance", exact: true }),
    ).toBeVisible();
  });
});

for (const name of ["approver", "requester"] as const)
  test.describe(`a${name === "approver" ? "n" : ""} ${name}`, () => {
    test.use({ storageState: storageStatePath(name) });

    test("cannot open the assurance page: the server answers 403", async ({ page }) => {
      expect((await page.request.get("/assurance", { maxRedirects: 0 })).status()).toBe(403);
    });
  });
