import type { Page } from "@playwright/test";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Custom roles change through change requests too: the key team ticks a role's data actions in
 * words on /access/roles, is warned when the role would both manage and use keys (the
 * separation-of-duties rule custom-role-mixed), sees what an edit changes, types a role's name
 * to delete it, and ends on "Request filed"; nothing on the HSM changes until approval.
 * Approvers and auditors read the same page without any of it.
 */

const P = "Microsoft.KeyVault/managedHsm/";
/** The demo seed's custom role, on every demo HSM: it mixes recovering keys with using them. */
const CARD_ROLE = { id: "9b3f6c2e-4a71-4d8e-b5c0-2e7f1a9d3c84", name: "Card key operator" };

/** The request the confirmation links to, read back through the API. */
async function filedRequest(page: Page) {
  const filed = page.getByRole("status").filter({ hasText: "Request filed" });
  await expect(filed).toBeVisible();
  const href = await filed.getByRole("link", { name: "View the request" }).getAttribute("href");
  expect(href).toMatch(/^\/requests\/[0-9a-f-]{36}$/);
  const response = await page.request.get(`/api${href}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as {
    kind: string;
    hsm: string;
    state: string;
    items: { change: Record<string, unknown> }[];
  };
}

const hsmSection = (page: Page, hsm: string) => page.getByRole("region", { name: hsm });
const cardOf = (page: Page, hsm: string, roleName: string) =>
  hsmSection(page, hsm)
    .locator("[data-slot=card]")
    .filter({ has: page.getByRole("heading", { name: new RegExp(`^${roleName}`) }) });

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("creates a custom role by ticking actions in words, warned when it mixes duties", async ({
    page,
    expectAccessible,
  }) => {
    // Axe with the editor open, a filing and a read-back: more than 30 s on a busy 2-core machine.
    test.slow();
    await page.goto("/access/roles");
    await hsmSection(page, "keyward-neu").getByRole("button", { name: "New custom role" }).click();
    const dialog = page.getByRole("dialog", { name: "New custom role in keyward-neu" });
    await expect(dialog).toContainText(/Needs \d+ approvals?\./);
    const roleName = `E2E signer ${Date.now()}`;
    await dialog.getByLabel("Role name").fill(roleName);
    await dialog.getByLabel("Description").fill("Signs release manifests.");
    const tick = (name: string) => dialog.getByRole("checkbox", { name, exact: true });
    await tick("Read keys, their versions and rotation policies").check();
    await tick("Sign with keys").check();
    await tick("Verify signatures with keys").check();

    const preview = dialog.getByRole("region", { name: "What the role would allow" });
    await expect(preview).toContainText("Use keys: 3 data actions.");
    const warning = preview.getByRole("alert");
    await expect(warning).toHaveCount(0);
    await tick("Purge deleted keys").check();
    await expect(warning).toContainText("Mixes key management and use");
    await expect(warning).toContainText("(Purge deleted keys)");
    await expect(warning).toContainText("Custom role that mixes duties or grants everything");
    await expectAccessible();
    await tick("Purge deleted keys").uncheck();
    await expect(warning).toHaveCount(0);

    await dialog.getByLabel("Justification").fill("Release pipeline signs its manifests");
    await dialog.getByRole("button", { name: "File the request" }).click();
    const request = await filedRequest(page);
    expect(request).toMatchObject({
      kind: "role-definition.upsert",
      hsm: "keyward-neu",
      state: "pending",
      items: [
        {
          change: {
            name: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
            roleName,
            description: "Signs release manifests.",
            dataActions: [`${P}keys/read/action`, `${P}keys/sign/action`, `${P}keys/verify/action`],
          },
        },
      ],
    });
  });

  test("edits a custom role against a diff, and types its name to delete it", async ({ page }) => {
    test.slow();
    await page.goto("/access/roles");
    const card = cardOf(page, "keyward-weu", CARD_ROLE.name);
    await card.getByRole("button", { name: "Edit", exact: true }).click();
    const edit = page.getByRole("dialog", { name: `Edit ${CARD_ROLE.name}` });
    const tick = (name: string) => edit.getByRole("checkbox", { name, exact: true });
    await expect(tick("Recover deleted keys")).toBeChecked();
    await expect(edit.getByLabel("Role name")).toHaveValue(CARD_ROLE.name);
    await expect(edit.getByLabel("Description")).toHaveValue(/^Signs and wraps with card keys/);
    const preview = edit.getByRole("region", { name: "What the role would allow" });
    await expect(preview.getByRole("alert")).toContainText("Mixes key management and use");
    await expect(preview).toContainText("No changes yet.");
    await edit.getByLabel("Justification").fill("Card operators no longer recover keys");
    await edit.getByRole("button", { name: "File the request" }).click();
    await expect(edit.getByText("Nothing has changed yet.")).toBeVisible();

    await tick("Recover deleted keys").uncheck();
    await tick("Verify signatures with keys").check();
    await edit.getByLabel("Description").fill("Signs and wraps with card keys.");
    await expect(preview.getByRole("alert")).toHaveCount(0);
    await expect(preview).toContainText("Adds: Verify signatures with keys");
    await expect(preview).toContainText("Removes: Recover deleted keys");
    await expect(preview).toContainText("Description: Signs and wraps with card keys and recovers");
    await edit.getByRole("button", { name: "File the request" }).click();
    const upsert = await filedRequest(page);
    expect(upsert).toMatchObject({ kind: "role-definition.upsert", hsm: "keyward-weu" });
    const change = upsert.items[0]!.change;
    expect(change).toMatchObject({ name: CARD_ROLE.id, roleName: CARD_ROLE.name });
    expect(change.dataActions).toEqual(
      ["read", "wrap", "unwrap", "sign", "verify"].map((a) => `${P}keys/${a}/action`),
    );
    await page.keyboard.press("Escape");

    // The dialog says the count the card shows (read first: an open dialog hides the page).
    const assigned = /(\d+) assignments? ·/.exec((await card.textContent()) ?? "")?.[1];
    expect(assigned).toBeDefined();
    await card.getByRole("button", { name: "Delete", exact: true }).click();
    const remove = page.getByRole("dialog", { name: `Delete ${CARD_ROLE.name}` });
    await expect(remove).toContainText(new RegExp(`\\b${assigned} assignments? uses? it`));
    const file = remove.getByRole("button", { name: "File the request" });
    await remove.getByLabel("Justification").fill("The card team moves to built-in roles");
    await expect(file).toBeDisabled();
    await remove.getByLabel(/to confirm/).fill(CARD_ROLE.name);
    await file.click();
    const deletion = await filedRequest(page);
    expect(deletion).toMatchObject({
      kind: "role-definition.delete",
      hsm: "keyward-weu",
      state: "pending",
      items: [{ change: { name: CARD_ROLE.id } }],
    });
  });
});

for (const role of ["approver", "auditor"] as const)
  test.describe(`an ${role}`, () => {
    test.use({ storageState: storageStatePath(role) });

    test("reads the role definitions without any editor", async ({ page }) => {
      await page.goto("/access/roles");
      await expect(cardOf(page, "keyward-weu", CARD_ROLE.name)).toBeVisible();
      for (const name of ["New custom role", "Edit", "Delete"])
        await expect(page.getByRole("button", { name, exact: true })).toHaveCount(0);
    });
  });
