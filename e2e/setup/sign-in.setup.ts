import { account, ACCOUNTS, storageStatePath, type AccountName } from "@/e2e/fixtures/accounts";
import { signInThroughPage } from "@/e2e/fixtures/sign-in";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * One signed-in browser state per demo account, made through the real sign-in pages in
 * Chromium. Specs reuse them with test.use({ storageState }).
 */
for (const name of Object.keys(ACCOUNTS) as AccountName[]) {
  test(`sign in as ${name}`, async ({ page, stack }) => {
    await signInThroughPage(page, account(stack, name));
    await expect(page).not.toHaveURL(/\/sign-in|\/interaction\//);
    await page.context().storageState({ path: storageStatePath(name) });
  });
}
