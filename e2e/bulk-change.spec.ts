import { storageStatePath } from "@/e2e/fixtures/accounts";
import { filedRequest, type FiledRequestView } from "@/e2e/fixtures/requests";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * A bulk change from the keys table: the key team ticks keys (or every key the filter matches),
 * and one request changes them all — ending, as every change does, in "Request filed" with the
 * request pending and nothing changed on the HSM. Whoever may not file sees no boxes to tick.
 */

const keyNames = (request: FiledRequestView) => request.items.map((item) => item.change.key).sort();

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("sets one rotation policy on the keys it ticks", async ({ page, expectAccessible }) => {
    test.slow();
    await page.goto("/keys?hsm=keyward-weu&q=payments&sort=name");
    const table = page.getByRole("table");
    const rows = table.getByRole("row");
    const names = [
      (await rows.nth(1).getByRole("link").innerText()).trim(),
      (await rows.nth(2).getByRole("link").innerText()).trim(),
    ];
    for (const name of names)
      await page.getByRole("checkbox", { name: `Select ${name} in keyward-weu` }).check();
    const bar = page.getByRole("region", { name: "Change the selected keys" });
    await expect(bar).toContainText("2 keys selected in keyward-weu");

    await bar.getByRole("button", { name: "Set rotation policy" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotation policy for 2 keys" });
    await dialog.getByLabel("Rotate", { exact: true }).selectOption("after-create");
    await dialog.getByLabel("Rotate after", { exact: true }).fill("10");
    await expect(dialog.getByText(/more often than every 28 days/)).toBeVisible();
    await dialog.getByLabel("Rotate after", { exact: true }).fill("180");
    await dialog.getByLabel("Rotate after: unit").selectOption("D");
    await expect(dialog).toContainText("180 days after each version");
    await expectAccessible();
    await dialog.getByLabel("Justification").fill("Half-yearly rotation for the payments keys");
    await dialog.getByRole("button", { name: "File the request for 2 keys" }).click();

    const request = await filedRequest(page);
    expect(request).toMatchObject({
      kind: "key.rotation-policy",
      hsm: "keyward-weu",
      state: "pending",
    });
    expect(keyNames(request)).toEqual([...names].sort());
    for (const item of request.items)
      expect(item.change.policy).toMatchObject({
        lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P180D" }],
      });
  });

  test("selects every matching key, starts afresh on a new filter, and types the count to delete", async ({
    page,
  }) => {
    test.slow();
    // More matches than one page holds: the page's box ticks 25, the link ticks them all.
    await page.goto("/keys?hsm=keyward-weu&pageSize=25");
    const total = Number(
      /of (\d+)/.exec((await page.getByText(/Showing \d+–\d+ of \d+/).innerText()) ?? "")?.[1],
    );
    expect(total).toBeGreaterThan(25);
    await page.getByRole("checkbox", { name: "Select every key on this page" }).check();
    const bar = page.getByRole("region", { name: "Change the selected keys" });
    await expect(bar).toContainText("25 keys selected in keyward-weu");
    await bar.getByRole("button", { name: `Select all ${total} matching keys` }).click();
    await expect(bar).toContainText(`${total} keys selected in keyward-weu`);
    await bar.getByRole("button", { name: "Clear selection" }).click();
    await expect(bar).toHaveCount(0);

    // A new filter starts a fresh selection.
    await page.getByRole("checkbox", { name: "Select every key on this page" }).check();
    await page.goto("/keys?hsm=keyward-weu&q=payments-signing");
    await expect(bar).toHaveCount(0);
    await page.getByRole("checkbox", { name: "Select every key on this page" }).check();
    const selected = await page.getByRole("row").count();
    expect(selected).toBeGreaterThan(1);

    await bar.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: /^Delete \d+ keys$/ });
    await expect(dialog).toContainText("Needs 2 approvals");
    const count = Number(
      /Delete (\d+) keys/.exec(await dialog.getByRole("heading").innerText())?.[1],
    );
    const file = dialog.getByRole("button", { name: `File the request for ${count} keys` });
    await dialog.getByLabel("Justification").fill("Retire the payments signing keys");
    await expect(file).toBeDisabled();
    await dialog.getByLabel(/to confirm/).fill(`delete ${count} keys`);
    await file.click();
    const request = await filedRequest(page);
    expect(request).toMatchObject({ kind: "key.delete", hsm: "keyward-weu", state: "pending" });
    expect(request.items).toHaveLength(count);
  });

  test("is told which keys a rotation leaves out", async ({ page }) => {
    await page.goto("/keys?hsm=keyward-weu&q=legacy-weu");
    await page.getByRole("checkbox", { name: "Select every key on this page" }).check();
    const bar = page.getByRole("region", { name: "Change the selected keys" });
    await bar.getByRole("button", { name: "Rotate now" }).click();
    const dialog = page.getByRole("dialog", { name: /^Rotate \d+ keys? now$/ });
    await expect(dialog).toContainText(/no\s+rotation policy/);
    await expect(dialog).toContainText("Set a rotation policy on these keys first.");
    await expect(dialog.getByRole("button", { name: /File the request/ })).toHaveCount(0);
  });
});

test.describe("an approver", () => {
  test.use({ storageState: storageStatePath("approver") });

  test("has no boxes to tick", async ({ page }) => {
    await page.goto("/keys?hsm=keyward-weu");
    await expect(page.getByRole("table")).toBeVisible();
    await expect(page.getByRole("checkbox")).toHaveCount(0);
  });
});
