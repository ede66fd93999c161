import { storageStatePath } from "@/e2e/fixtures/accounts";
import { filedRequest } from "@/e2e/fixtures/requests";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Granting and revoking HSM roles is filing change requests: the key team grants a role on a key
 * from the key's page and on /access, sees what the grant does to the separation-of-duties
 * findings before filing it, revokes one assignment from its row, and the requests read back
 * hold exactly that change, pending. Whoever may not file (approvers, auditors) sees none of it.
 */

const KEY = "payments-signing-prod-01";
const KEY_PAGE = `/keys/keyward-weu/${KEY}`;
const PAYMENTS_TEAM = "3243182d-1727-4605-9abd-29ce37fe0480";
const PAYMENTS_API = "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe";
const ADMINISTRATOR = "a290e904-7015-4bba-90c8-60543313cdb4";
const CRYPTO_OFFICER = "515eb02d-2335-4d2d-92f2-b1cbdf9c3778";

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("grants a role on a key from its page, after seeing the impact", async ({
    page,
    expectAccessible,
  }) => {
    // Axe with the dialog open, the what-if and the filing: over 30 s on a busy 2-core machine.
    test.slow();
    await page.goto(KEY_PAGE);
    await page.getByRole("button", { name: "Grant access to this key" }).click();
    const dialog = page.getByRole("dialog", { name: `Grant access to ${KEY}` });
    await expect(dialog).toContainText("Needs one approval.");
    const impact = dialog.getByRole("region", { name: "Separation-of-duties impact" });
    await expect(impact.getByRole("status")).toHaveText(/once the role and the principal/);

    await dialog
      .getByLabel("Role", { exact: true })
      .selectOption({ label: "Managed HSM Crypto Officer" });
    await dialog.getByLabel("Principal", { exact: true }).selectOption({ label: "Payments team" });
    // The team uses the key already: managing it too is a conflict, shown before filing.
    await expect(impact.getByRole("status")).toHaveText(/^It adds \d+ findings?/);
    await expect(impact.getByRole("list", { name: "Findings it adds" })).toContainText(
      /Payments team can manage keys/,
    );
    await expectAccessible();

    await dialog.getByLabel("Justification").fill("The payments team rotates its own signing key");
    await dialog.getByRole("button", { name: "File the request" }).click();
    expect(await filedRequest(page)).toMatchObject({
      kind: "role-assignment.create",
      hsm: "keyward-weu",
      state: "pending",
      approvalsRequired: 1,
      items: [
        {
          change: {
            scope: `/keys/${KEY}`,
            roleDefinitionId: CRYPTO_OFFICER,
            principalId: PAYMENTS_TEAM,
          },
        },
      ],
    });
  });

  test("grants a role on a whole HSM to an object id, warned of a critical finding", async ({
    page,
  }) => {
    test.slow();
    await page.goto("/access");
    await page.getByRole("button", { name: "Grant access", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Grant access" });
    await dialog.getByLabel("HSM", { exact: true }).selectOption("keyward-weu");
    await dialog.getByLabel("Scope", { exact: true }).selectOption({ label: "The whole HSM (/)" });
    await expect(dialog).toContainText("Needs 2 approvals: it reaches every key of the HSM.");
    await dialog
      .getByLabel("Role", { exact: true })
      .selectOption({ label: "Managed HSM Administrator" });
    await dialog
      .getByLabel("Principal", { exact: true })
      .selectOption({ label: "Another principal, by object id…" });
    const objectId = dialog.getByLabel("Principal object id");
    await dialog.getByLabel("Justification").fill("The payments API runs its own key ceremony");

    // Not a GUID: refused in the browser, next to the field, and no impact is asked for.
    await objectId.fill("payments-api");
    const impact = dialog.getByRole("region", { name: "Separation-of-duties impact" });
    await expect(impact.getByRole("status")).toHaveText(/The impact shows once/);
    await dialog.getByRole("button", { name: "File the request" }).click();
    await expect(dialog.getByText("Give the principal's object id, a GUID.")).toBeVisible();
    await expect(objectId).toHaveAttribute("aria-invalid", "true");

    // payments-api uses keys already: granting it the Administrator role is critical.
    await objectId.fill(PAYMENTS_API.toUpperCase());
    await expect(impact.getByRole("note")).toContainText("It adds a critical finding");
    await expect(impact.getByRole("list", { name: "Findings it adds" })).toContainText(
      /payments-api can grant roles/,
    );
    await dialog.getByRole("button", { name: "File the request" }).click();
    expect(await filedRequest(page)).toMatchObject({
      kind: "role-assignment.create",
      hsm: "keyward-weu",
      state: "pending",
      approvalsRequired: 2,
      items: [
        { change: { scope: "/", roleDefinitionId: ADMINISTRATOR, principalId: PAYMENTS_API } },
      ],
    });
  });

  test("revokes one assignment from its row", async ({ page }) => {
    test.slow();
    const csv = await page.request.get(
      "/api/access/assignments/export?hsm=keyward-weu&q=payments-api",
    );
    const line = (await csv.text())
      .split("\n")
      .find((row) => row.includes(`/keys/${KEY}`) && row.includes("Managed HSM Crypto Officer"));
    const name = line?.split(",")[1];
    expect(name).toMatch(/^[0-9a-f-]{36}$/);

    await page.goto("/access?hsm=keyward-weu&q=payments-api");
    await page
      .getByRole("button", {
        name: `Revoke Managed HSM Crypto Officer from payments-api on key ${KEY}`,
      })
      .click();
    const dialog = page.getByRole("dialog", { name: "Revoke Managed HSM Crypto Officer" });
    await expect(dialog).toContainText("payments-api loses this role");
    await expect(dialog).toContainText("Needs one approval.");
    await expect(dialog).toContainText(name!);
    // The application would no longer manage the key it uses: the conflict goes.
    const impact = dialog.getByRole("region", { name: "Separation-of-duties impact" });
    await expect(impact.getByRole("status")).toHaveText(/resolves \d+ findings?/);
    await expect(impact.getByRole("list", { name: "Findings it resolves" })).toContainText(
      /payments-api can manage keys/,
    );

    await dialog.getByLabel("Justification").fill("payments-api no longer manages its own key");
    await dialog.getByRole("button", { name: "File the request" }).click();
    expect(await filedRequest(page)).toMatchObject({
      kind: "role-assignment.delete",
      hsm: "keyward-weu",
      state: "pending",
      approvalsRequired: 1,
      items: [{ change: { name } }],
    });
  });
});

test("approvers and auditors see no Grant or Revoke", async ({ browser, baseURL }) => {
  for (const role of ["approver", "auditor"] as const) {
    const context = await browser.newContext({ baseURL, storageState: storageStatePath(role) });
    const page = await context.newPage();
    for (const path of ["/access", KEY_PAGE]) {
      await page.goto(path);
      await expect(page.getByRole("table").first()).toBeVisible();
      await expect(
        page.getByRole("button", { name: /Grant access/ }),
        `${role} on ${path}`,
      ).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^Revoke/ }), `${role} on ${path}`).toHaveCount(
        0,
      );
    }
    await context.close();
  }
});
