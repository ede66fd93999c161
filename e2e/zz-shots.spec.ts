import { storageStatePath } from "@/e2e/fixtures/accounts";
import { test } from "@/e2e/fixtures/test";

test.describe.configure({ mode: "serial" });
let id = "";
test.describe("k", () => {
  test.use({ storageState: storageStatePath("keyadmin") });
  test("start", async ({ page }) => {
    await page.goto("/access/reviews");
    const r = await page.request.post("/api/access-reviews", {
      data: { hsm: "keyward-weu", note: "Q4 2026 PCI DSS 7.2.4 review" },
      headers: { origin: new URL(page.url()).origin },
    });
    id = ((await r.json()) as { id: string }).id;
  });
});
test.describe("a", () => {
  test.use({ storageState: storageStatePath("approver") });
  test("shots", async ({ page }) => {
    await page.goto("/access/reviews");
    const review = (await (await page.request.get(`/api/access-reviews/${id}`)).json()) as { items: { assignment: string }[] };
    await page.request.post(`/api/access-reviews/${id}/items/${review.items[2]!.assignment}`, {
      data: { decision: "confirm" }, headers: { origin: new URL(page.url()).origin } });
    for (const scheme of ["light", "dark"] as const)
      for (const width of [1280, 390]) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`/access/reviews/${id}`);
        await page.screenshot({ path: `/tmp/shots/review-${scheme}-${width}.png`, fullPage: true });
        await page.goto(`/access/reviews`);
        await page.screenshot({ path: `/tmp/shots/reviews-${scheme}-${width}.png`, fullPage: true });
      }
  });
});
