import { storageStatePath } from "@/e2e/fixtures/accounts";
import { filedRequest } from "@/e2e/fixtures/requests";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Changing a key is filing a change request: the key team files them from the key page and the
 * New key page, sees what a rotation policy would do while typing it, reads the server's
 * refusal next to the field it is about, and ends on "Request filed" with the request pending;
 * nothing on the key changes. Whoever may not file (approvers, auditors) sees no action at all.
 */

const SIGNING_KEY = "/keys/keyward-weu/payments-signing-prod-01";
/** A live demo key without a rotation policy (the seed's legacy keys have none). */
const NO_POLICY_KEY = "/keys/keyward-weu/legacy-weu-04";
const PAYMENTS_TEAM = "3243182d-1727-4605-9abd-29ce37fe0480";

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("edits a key's rotation policy with a live preview and files it", async ({
    page,
    expectAccessible,
  }) => {
    // Axe runs once, with the editor open over the page; on a busy 2-core machine the journey
    // (axe, filing, reading the request back, a reload) can pass the default 30 s.
    test.slow();
    await page.goto(SIGNING_KEY);
    const rotationCard = page.getByRole("heading", { name: "Rotation" }).locator("..");
    const before = (await rotationCard.textContent()) ?? "";
    await page
      .getByRole("region", { name: "Request a change" })
      .getByRole("button", { name: /rotation policy/ })
      .click();
    const dialog = page.getByRole("dialog", {
      name: /Rotation policy of payments-signing-prod-01/,
    });
    await dialog.getByLabel("Rotate", { exact: true }).selectOption("after-create");
    const every = dialog.getByLabel("Rotate after", { exact: true });
    const preview = dialog.getByRole("region", { name: "Preview" });

    await every.fill("20");
    await expect(dialog.getByText(/rotates more often than every 28 days/)).toBeVisible();
    await expect(every).toHaveAttribute("aria-invalid", "true");

    await every.fill("90");
    await dialog.getByLabel("Rotate after: unit").selectOption("D");
    await dialog.getByLabel("New versions expire after", { exact: true }).fill("1");
    await dialog.getByLabel("New versions expire after: unit").selectOption("Y");
    await expect(preview).toContainText("Rotates automatically 90 days after each version");
    // The second rotation moves with the trigger even when the first one is due already.
    const secondAt90 = await preview.getByRole("listitem").nth(1).innerText();
    await every.fill("120");
    await expect(preview).toContainText("Rotates automatically 120 days after each version");
    await expect(preview.getByRole("listitem").nth(1)).not.toHaveText(secondAt90);
    await expectAccessible();

    await dialog.getByLabel("Justification").fill("Align signing keys with the 120-day standard");
    await dialog.getByRole("button", { name: "File the request" }).click();
    const request = await filedRequest(page);
    expect(request).toMatchObject({
      kind: "key.rotation-policy",
      hsm: "keyward-weu",
      state: "pending",
      items: [
        {
          change: {
            key: "payments-signing-prod-01",
            policy: {
              lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P120D" }],
              expiresIn: "P1Y",
            },
          },
        },
      ],
    });
    // Filed, not applied: the key still shows its current policy.
    await page.keyboard.press("Escape");
    await page.reload();
    await expect(rotationCard).toHaveText(before);
  });

  test("files a new key, and reads a refused name next to the field", async ({
    page,
    expectAccessible,
    consoleErrors,
  }) => {
    // Two filings and axe on the new page: more than the default 30 s on a busy 2-core machine.
    test.slow();
    await page.goto("/keys");
    await page.getByRole("link", { name: "New key" }).click();
    await expect(page).toHaveURL(/\/keys\/new$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("New key");
    await expectAccessible();
    await page.getByLabel("HSM", { exact: true }).selectOption("keyward-weu");
    await page.getByLabel("Type", { exact: true }).selectOption("EC-P-384");
    await expect(page.getByRole("checkbox")).toHaveCount(2);
    await page.getByLabel("Owner group", { exact: true }).selectOption(PAYMENTS_TEAM);
    await page.getByLabel("Justification").fill("A signing key for the new payouts service");

    // A name the HSM already holds: the server refuses it, and says so under the name.
    const name = page.getByLabel("Name", { exact: true });
    await name.fill("payments-signing-prod-01");
    await page.getByRole("button", { name: "File the request" }).click();
    await expect(page.locator("#new-key-name-error")).toHaveText(
      "HSM keyward-weu already has a key named payments-signing-prod-01.",
    );
    await expect(name).toHaveAttribute("aria-invalid", "true");
    await expect(name).toBeFocused();
    expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("409")]);

    const fresh = `payouts-signing-e2e-${Date.now()}`;
    await name.fill(fresh);
    await page.getByRole("button", { name: "File the request" }).click();
    const request = await filedRequest(page);
    expect(request).toMatchObject({
      kind: "key.create",
      hsm: "keyward-weu",
      state: "pending",
      items: [
        {
          change: {
            key: fresh,
            kty: "EC",
            curve: "P-384",
            keyOps: ["sign", "verify"],
            tags: { owner: PAYMENTS_TEAM },
          },
        },
      ],
    });
    await expect(page.getByText(/rotation policy can be set once the key exists/)).toBeVisible();
  });

  test("is told why a key without a policy cannot rotate, and types the name to delete", async ({
    page,
  }) => {
    await page.goto(NO_POLICY_KEY);
    const actions = page.getByRole("region", { name: "Request a change" });
    const rotate = actions.getByRole("button", { name: "Rotate now" });
    await expect(rotate).toBeDisabled();
    await expect(rotate).toHaveAccessibleDescription(/needs a rotation policy/);
    await expect(actions.getByRole("button", { name: "Set a rotation policy" })).toBeEnabled();

    await actions.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete legacy-weu-04" });
    await expect(dialog).toContainText("Needs 2 approvals");
    const file = dialog.getByRole("button", { name: "File the request" });
    await expect(file).toBeDisabled();
    await dialog.getByLabel(/to confirm/).fill("legacy-weu-0");
    await expect(file).toBeDisabled();
    await dialog.getByLabel(/to confirm/).fill("legacy-weu-04");
    await expect(file).toBeEnabled();
  });
});

for (const role of ["approver", "auditor"] as const)
  test.describe(`an ${role}`, () => {
    test.use({ storageState: storageStatePath(role) });

    test("sees no action on a key, and no New key", async ({ page }) => {
      await page.goto(SIGNING_KEY);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("payments-signing-prod-01");
      await expect(page.getByRole("region", { name: "Request a change" })).toHaveCount(0);
      for (const name of [/Rotate/, /rotation policy/, /Edit properties/, /Delete/])
        await expect(page.getByRole("button", { name })).toHaveCount(0);
      await page.goto("/keys");
      await expect(page.getByRole("link", { name: "New key" })).toHaveCount(0);
      expect((await page.request.get("/keys/new", { maxRedirects: 0 })).status()).toBe(403);
    });
  });
