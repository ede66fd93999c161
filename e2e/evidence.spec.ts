import path from "node:path";

import { readPack } from "@/lib/evidence/read-pack";
import { keySetSchema, verifyPack } from "@/lib/evidence/verify-pack";
import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectProblem } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The auditor's evidence pack, end to end: chosen on /evidence, downloaded in the browser,
 * verified offline against the keys the portal publishes, and listed afterwards among the
 * recent exports (read from the audit log). A bad period is refused in words; other roles may
 * neither open the page nor call the route.
 */

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("downloads a signed pack for a period and HSM, and it verifies", async ({
    page,
    visit,
  }, testInfo) => {
    test.slow();
    await visit("/evidence");
    const form = page.getByRole("form", { name: "Evidence pack" });
    await form.getByLabel("From (UTC)").fill("2026-01-01");
    await form.getByLabel("To, inclusive (UTC)").fill("2026-12-31");
    await form.getByRole("checkbox", { name: "keyward-weu" }).check();
    await form.getByRole("button", { name: "Prepare pack" }).click();
    const ready = page.getByRole("region", { name: "Ready to download" });
    await expect(ready).toContainText("keyward-evidence-2026-01-01-to-2026-12-31.zip");
    await expect(ready).toContainText("keyward-weu");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      ready.getByRole("link", { name: "Download evidence pack" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("keyward-evidence-2026-01-01-to-2026-12-31.zip");
    const file = testInfo.outputPath(path.basename(download.suggestedFilename()));
    await download.saveAs(file);

    const keys = keySetSchema.parse(await (await page.request.get("/api/audit/keys")).json());
    const verification = await verifyPack(await readPack(file), keys);
    expect(verification.problems).toEqual([]);
    expect(verification.ok).toBe(true);
    expect(verification.manifest).toMatchObject({
      hsms: ["keyward-weu"],
      period: { from: "2026-01-01T00:00:00.000Z", to: "2027-01-01T00:00:00.000Z" },
    });
    const me = (await (await page.request.get("/api/me")).json()) as {
      user: { oid: string; name: string };
    };
    expect(verification.manifest!.exporter).toEqual({ id: me.user.oid, name: me.user.name });
    expect(verification.manifest!.files.map((f) => f.name)).toEqual([
      "inventory.csv",
      "rotation-compliance.csv",
      "access-matrix.csv",
      "sod-findings.json",
      "changes.csv",
      "backups.csv",
      "backup-days.csv",
      "out-of-band.csv",
      "access-reviews.csv",
      "audit-extract.jsonl",
      "audit-verification.json",
      "README.txt",
    ]);

    await visit("/evidence");
    const latest = page.getByRole("region", { name: "Recent exports" }).getByRole("row").nth(1);
    await expect(latest).toContainText("keyward-weu");
    await expect(latest).toContainText(String(verification.manifest!.auditEvent.seq));
  });

  test("is told in words when the period cannot be exported", async ({ page, visit }) => {
    await visit("/evidence?from=2026-12-31&to=2026-01-01");
    await expect(page.getByRole("alert").filter({ hasText: "cannot be exported" })).toContainText(
      "to must be after from",
    );
    await expect(page.getByRole("link", { name: "Download evidence pack" })).toHaveCount(0);
    await expectProblem(
      await page.request.get("/api/evidence?from=2026-12-31&to=2026-01-01"),
      422,
      "validation-failed",
    );
    await expectProblem(
      await page.request.get("/api/evidence?from=2026-01-01&to=2026-02-01&hsm=nowhere"),
      404,
      "not-found",
    );
  });
});

test.describe("an approver", () => {
  test.use({ storageState: storageStatePath("approver") });

  test("can neither open /evidence nor download a pack", async ({ page }) => {
    expect((await page.request.get("/evidence", { maxRedirects: 0 })).status()).toBe(403);
    await expectProblem(
      await page.request.get("/api/evidence?from=2026-01-01&to=2026-02-01"),
      403,
      "forbidden",
    );
  });
});
