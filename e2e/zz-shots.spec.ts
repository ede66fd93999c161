import { storageStatePath } from "@/e2e/fixtures/accounts";
import { test } from "@/e2e/fixtures/test";

test.use({ storageState: storageStatePath("keyadmin") });
test("shots", async ({ page }) => {
  test.setTimeout(120_000);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto("/backups");
      await page.screenshot({ path: `/tmp/ui-backups-shots/backups-${width}-${scheme}.png`, fullPage: true });
      await page.goto("/overview");
      await page.screenshot({ path: `/tmp/ui-backups-shots/overview-${width}-${scheme}.png` });
      await page.goto("/backups");
      await page.getByRole("button", { name: "New schedule for keyward-neu" }).click();
      await page.getByLabel("When (cron)").fill("30 3 * * 1-5");
      await page.screenshot({ path: `/tmp/ui-backups-shots/form-${width}-${scheme}.png` });
    }
  }
});
