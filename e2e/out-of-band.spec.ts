import type { Page } from "@playwright/test";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { callHsmAsTool } from "@/e2e/fixtures/emulator";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Out-of-band changes in the browser: a key created in the HSM behind the portal's back is
 * reported once the portal reads it; an auditor sees it on the key's page with no button and is
 * refused by the API; a key administrator marks it explained with a reason, and it is then listed
 * as explained with that reason.
 */

const HSM = "keyward-neu";
/** A key of this run's own, so that no other spec sees it come and go. */
const KEY = `e2e-oob-${Date.now().toString(36)}`;
const SUMMARY = `key ${KEY}: created`;
const REASON = "Created by the on-call engineer during incident INC-4711";

test.describe.configure({ mode: "serial" });

const origin = (page: Page) => ({ origin: new URL(page.url()).origin });

test.describe("a key administrator", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("sees a key created behind the portal's back on the key's page", async ({
    page,
    stack,
    visit,
  }) => {
    await page.goto("/overview");
    await callHsmAsTool(stack, HSM, "POST", `/keys/${KEY}/create`, { kty: "EC", crv: "P-256" });
    // "Sync this key": the portal reads the key, finds it new, and did not make it.
    const synced = await page.request.post("/api/sync", {
      data: { hsm: HSM, key: KEY },
      headers: origin(page),
    });
    expect(synced.status(), await synced.text()).toBe(200);
    await visit(`/keys/${HSM}/${KEY}`);
    const region = page.getByRole("region", { name: /Out-of-band changes/ });
    await expect(region).toContainText(SUMMARY);
    await expect(region.getByRole("button", { name: `Mark explained: ${SUMMARY}` })).toBeVisible();
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("sees the change with no button, and may not explain it", async ({ page, visit }) => {
    await visit(`/keys/${HSM}/${KEY}`);
    const region = page.getByRole("region", { name: /Out-of-band changes/ });
    await expect(region).toContainText(SUMMARY);
    await expect(region.getByRole("button")).toHaveCount(0);
    const listed = (await (await page.request.get(`/api/out-of-band?hsm=${HSM}`)).json()) as {
      changes: { id: string; subjectName: string }[];
    };
    const change = listed.changes.find((c) => c.subjectName === KEY)!;
    const refused = await page.request.post(`/api/out-of-band/${change.id}/explain`, {
      data: { reason: REASON },
      headers: origin(page),
    });
    expect(refused.status()).toBe(403);
  });
});

test.describe("a key administrator again", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("marks it explained with a reason", async ({ page, visit }) => {
    await visit(`/keys/${HSM}/${KEY}`);
    const region = page.getByRole("region", { name: /Out-of-band changes/ });
    await region.getByRole("button", { name: `Mark explained: ${SUMMARY}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill(REASON);
    await dialog.getByRole("button", { name: "Mark explained", exact: true }).click();
    await expect(dialog.getByText("Explained. The reason is recorded.")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("region", { name: /Out-of-band changes/ })).toHaveCount(0);
    const explained = (await (
      await page.request.get(`/api/out-of-band?hsm=${HSM}&state=explained`)
    ).json()) as { changes: { subjectName: string; reason: string; state: string }[] };
    expect(explained.changes.find((c) => c.subjectName === KEY)).toMatchObject({
      state: "explained",
      reason: REASON,
    });
  });
});
