import type { Page } from "@playwright/test";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectProblem } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The audit log as its readers see it: a key administrator's change and a foreign site's refused
 * attempt both appear on /audit with who, what and the outcome; an auditor verifies the chain
 * from the page; the filters, paging and exports agree; nobody else may read it.
 */

const ADMIN_RULE = "Setting of Too few or too many administrators";

/** The events table's rows for data (each event's second row holds its details). */
function eventRows(page: Page) {
  return page.getByRole("region", { name: "Audit events" }).locator("tr[data-seq]");
}

/** Opens the details of the event on `row` and returns the disclosure. */
async function openDetails(row: ReturnType<typeof eventRows>) {
  const details = row.locator("xpath=following-sibling::tr[1]").locator("details");
  await details.locator("summary").click();
  await expect(details).toHaveAttribute("open", "");
  return details;
}

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("sees its change to a separation-of-duties rule on /audit", async ({ page, visit }) => {
    test.slow();
    await visit("/sod");
    const form = page.getByRole("form", { name: ADMIN_RULE });
    const maximum = form.getByLabel("Most administrators allowed");
    const before = Number(await maximum.inputValue());
    await maximum.fill(String(before + 1));
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByText("Saved and recorded.")).toBeVisible();
    // The page re-renders after a save: typing before that lands could be overwritten by it.
    await expect(
      page.getByText(`(at most ${before + 1}), was high (at most ${before})`),
    ).toBeVisible();
    // Put it back, so that nothing else sees the change; that is recorded too.
    await maximum.fill(String(before));
    await expect(maximum).toHaveValue(String(before));
    await form.getByRole("button", { name: "Save" }).click();
    await expect(
      page.getByText(`(at most ${before}), was high (at most ${before + 1})`),
    ).toBeVisible();

    // Another run (bad input, as any account) may send this rule changes too, all refused: only
    // this account's changes that succeeded are this test's.
    await visit(
      "/audit?action=sod.rule&target=administrator-count&outcome=succeeded&actor=Kim%20Keyadmin",
    );
    const rows = eventRows(page);
    await expect(rows.first()).toContainText("sod.rule.update");
    await expect(rows.first()).toContainText("rule administrator-count");
    await expect(rows.first()).toContainText("Succeeded");
    await expect(rows.first().getByText("Kim Keyadmin")).toHaveAttribute(
      "title",
      /^user [0-9a-f-]{36}$/,
    );
    const restored = await openDetails(rows.first());
    await expect(restored.locator("pre")).toContainText(`"maxAdministrators": ${before}`);
    const raised = await openDetails(rows.nth(1));
    await expect(raised.locator("pre")).toContainText(`"maxAdministrators": ${before + 1}`);
    await expect(raised.getByText(/^[0-9a-f]{64}$/)).toHaveCount(2);

    // A changed menu applies at once, in the URL.
    await page.getByLabel("Outcome", { exact: true }).selectOption("denied");
    await expect(page).toHaveURL(/outcome=denied/);
  });

  test("sees a foreign site's attempt to change a rule as denied", async ({ page, visit }) => {
    const attempt = await page.request.put("/api/sod/rules/several-roles", {
      data: { enabled: false, severity: "low" },
      headers: { origin: "https://evil.example" },
    });
    await expectProblem(attempt, 403, "forbidden");
    const requestId = attempt.headers()["x-request-id"]!;

    await visit(`/audit?outcome=denied&q=${requestId}`);
    const rows = eventRows(page);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("sod.rule.update");
    await expect(rows.first()).toContainText("path /api/sod/rules/several-roles");
    await expect(rows.first()).toContainText("Denied");
    await expect(rows.first()).toContainText("Kim Keyadmin");
    const details = await openDetails(rows.first());
    await expect(details).toContainText(requestId);
    await expect(details.locator("pre")).toContainText('"status": 403');
  });

  test("pages older and newer by cursor, and exports the filter", async ({ page, visit }) => {
    test.slow();
    await visit("/audit?limit=2");
    const first = await eventRows(page).evaluateAll((rows) => rows.map((r) => r.dataset.seq));
    expect(first).toHaveLength(2);
    await page.getByRole("link", { name: "Older" }).click();
    await expect(page).toHaveURL(/before=/);
    const second = await eventRows(page).evaluateAll((rows) => rows.map((r) => r.dataset.seq));
    expect(Number(second[0])).toBeLessThan(Number(first[1]));
    await page.getByRole("link", { name: "Newer" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect
      .poll(() => eventRows(page).evaluateAll((rows) => rows.map((r) => r.dataset.seq)))
      .toEqual(first);

    const csv = await page.request.get("/api/audit/export?format=csv&action=sod.");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-disposition"]).toMatch(
      /^attachment; filename="keyward-audit-.*\.csv"$/,
    );
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "seq,at,actor_type,actor_id,actor_name,action,target,outcome,detail,request_id,prev_hash,hash",
    );
    expect(lines.length).toBeGreaterThan(1);
    const jsonl = await page.request.get("/api/audit/export?format=jsonl&action=sod.");
    expect(jsonl.headers()["content-type"]).toContain("application/jsonl");
    const events = (await jsonl.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { seq: number; action: string });
    expect(events.length).toBe(lines.length - 1);
    expect(events.every((event) => event.action.startsWith("sod."))).toBe(true);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => b - a));

    const api = await page.request.get("/api/audit?limit=1&outcome=succeeded");
    const body = (await api.json()) as { events: { at: string; hash: string }[]; next: string };
    expect(body.events).toHaveLength(1);
    expect(body.events[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(body.next).toMatch(/^\d+$/);
    const bad = await page.request.get("/api/audit?from=yesterday&limit=1000");
    const problem = await expectProblem(bad, 422, "validation-failed");
    expect((problem.errors as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual([
      "#/from",
      "#/limit",
    ]);
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("verifies the chain from the page", async ({ page, visit }) => {
    await visit("/audit");
    const banner = page.getByRole("status", { name: "Audit chain verification" });
    await banner.getByRole("button", { name: "Verify now" }).click();
    await expect(banner.getByText(/^Verified [\d,]+ events: ok\.$/)).toBeVisible();
    await expect(banner).toContainText("The audit chain verified");
    await expect(banner).toContainText(/Verified .* \((\d+ seconds?|now|0 seconds) ago\)|Verified/);
    await expect(banner.getByText(/^[0-9a-f]{12}$/)).toBeVisible();
  });
});

test.describe("a requester", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("may not read the audit log", async ({ page }) => {
    expect((await page.request.get("/audit", { maxRedirects: 0 })).status()).toBe(403);
    await expectProblem(await page.request.get("/api/audit"), 403, "forbidden");
  });
});
