import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { callHsmAsTool, grantRole } from "@/e2e/fixtures/emulator";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * An access review run to the end in the browser: a key administrator starts one for an HSM; an
 * approver confirms an assignment, flags this run's own assignment for removal (which files a
 * removal request) and is kept from deciding on their own access; a second approver decides
 * what is left, and the review completes; an auditor reads it with nothing to press.
 */

const HSM = "keyward-neu";
/** A key and an assignment of this run's own, so the flag touches nothing another spec uses. */
const KEY = `e2e-review-${Date.now().toString(36)}`;
const PRINCIPAL = randomUUID();
const CRYPTO_USER = "21dbd100-6940-42c2-9190-5d6cb909625b";
const REASON = "The application was retired in the autumn";

test.describe.configure({ mode: "serial" });

const origin = (page: Page) => ({ origin: new URL(page.url()).origin });
let reviewId = "";

interface ReviewView {
  id: string;
  state: string;
  progress: { total: number; pending: number; confirmed: number; flagged: number };
  items: {
    assignment: string;
    scope: string;
    principal: { id: string };
    decision: string;
    request: { id: string; state: string } | null;
  }[];
}

async function review(page: Page): Promise<ReviewView> {
  const response = await page.request.get(`/api/access-reviews/${reviewId}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as ReviewView;
}

test.describe("a key administrator", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("starts a review of an HSM's role assignments", async ({ page, stack, visit }) => {
    await page.goto("/access/reviews");
    await callHsmAsTool(stack, HSM, "POST", `/keys/${KEY}/create`, { kty: "EC", crv: "P-256" });
    await grantRole(stack, HSM, {
      name: randomUUID(),
      scope: `/keys/${KEY}`,
      roleDefinitionId: CRYPTO_USER,
      principalId: PRINCIPAL,
    });
    const synced = await page.request.post("/api/sync", {
      data: { hsm: HSM, key: KEY },
      headers: origin(page),
    });
    expect(synced.status(), await synced.text()).toBe(200);
    // A review left open by an earlier attempt of this spec would block a new one.
    const open = (await (
      await page.request.get(`/api/access-reviews?hsm=${HSM}&state=open`)
    ).json()) as { reviews: { id: string }[] };
    for (const stale of open.reviews)
      await page.request.post(`/api/access-reviews/${stale.id}/cancel`, {
        data: { reason: "Left open by an earlier run of this test" },
        headers: origin(page),
      });

    await visit("/access/reviews");
    const form = page.getByRole("form", { name: "Start an access review" });
    await form.getByLabel("HSM").selectOption(HSM);
    await form.getByLabel(/Why/).fill("Quarterly access review (e2e)");
    await form.getByRole("button", { name: "Start review" }).click();
    await expect(page).toHaveURL(/\/access\/reviews\/[0-9a-f-]{36}$/);
    reviewId = page.url().split("/").pop()!;
    await expect(page.getByRole("heading", { name: `Access review of ${HSM}` })).toBeVisible();
    await expect(page.getByRole("link", { name: KEY })).toBeVisible();
    // Starting is the key team's; deciding is the approvers'.
    await expect(page.getByRole("button", { name: /^Confirm:/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Cancel review" })).toBeVisible();
    await visit(`/access/reviews/${reviewId}`);
  });
});

test.describe("an approver", () => {
  test.use({ storageState: storageStatePath("approver") });

  test("confirms, flags into a removal request, and may not decide on their own access", async ({
    page,
    visit,
  }) => {
    await visit(`/access/reviews/${reviewId}`);
    await expect(
      page.getByText("Your own access: another reviewer decides.").first(),
    ).toBeVisible();

    // A flag says why: the server refuses one without a reason, naming the field.
    const first = (await review(page)).items.find((i) => i.scope === `/keys/${KEY}`)!;
    const unexplained = await page.request.post(
      `/api/access-reviews/${reviewId}/items/${first.assignment}`,
      { data: { decision: "flag", comment: "no" }, headers: origin(page) },
    );
    expect(unexplained.status()).toBe(422);
    expect(await unexplained.text()).toContain("at least 10 characters");
    await page
      .getByRole("button", { name: new RegExp(`^Flag for removal: .* at /keys/${KEY}$`) })
      .click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill(REASON);
    await dialog.getByRole("button", { name: "Flag and file the removal" }).click();
    // The page refreshes with the row flagged (its controls, and so the dialog, go away).
    await expect(page.getByRole("link", { name: "Removal request (pending)" })).toBeVisible();

    await page
      .getByRole("button", { name: /^Confirm:/ })
      .first()
      .click();
    await expect(page.getByText(/: 1 confirmed, 1 flagged$/).first()).toBeVisible();

    // The rest through the API, as a client of it would; their own access is refused.
    const before = await review(page);
    for (const item of before.items.filter((i) => i.decision === "pending")) {
      const answer = await page.request.post(
        `/api/access-reviews/${reviewId}/items/${item.assignment}`,
        { data: { decision: "confirm" }, headers: origin(page) },
      );
      if (answer.status() !== 200) {
        expect(answer.status(), await answer.text()).toBe(403);
        expect(await answer.text()).toContain("your own access");
      }
    }
    const after = await review(page);
    expect(after.state).toBe("open");
    expect(after.progress.pending).toBeGreaterThan(0);

    const flagged = after.items.find((i) => i.scope === `/keys/${KEY}`)!;
    expect(flagged).toMatchObject({ decision: "flagged", request: { state: "pending" } });
    const request = (await (
      await page.request.get(`/api/requests/${flagged.request!.id}`)
    ).json()) as {
      kind: string;
      justification: string;
    };
    expect(request.kind).toBe("role-assignment.delete");
    expect(request.justification).toContain(REASON);
    // The removal is not this spec's to carry out: withdrawn, so no other spec sees it pending.
    const withdrawn = await page.request.post(`/api/requests/${flagged.request!.id}/cancel`, {
      headers: origin(page),
    });
    expect(withdrawn.status(), await withdrawn.text()).toBe(200);
  });
});

test.describe("a second approver", () => {
  test.use({ storageState: storageStatePath("dualrole") });

  test("decides what is left, and the review completes", async ({ page, visit }) => {
    await visit(`/access/reviews/${reviewId}?show=pending`);
    const confirm = page.getByRole("button", { name: /^Confirm:/ });
    await expect(confirm.first()).toBeVisible();
    while ((await confirm.count()) > 0) {
      const before = await confirm.count();
      await confirm.first().click();
      await expect(confirm).toHaveCount(before - 1);
    }
    await expect(page.getByText("Completed", { exact: true }).first()).toBeVisible();
    await expect(page.getByText("No assignment is left to decide.")).toBeVisible();
    const done = await review(page);
    expect(done).toMatchObject({ state: "completed", progress: { pending: 0, flagged: 1 } });
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("reads the finished review with nothing to press, and may not decide", async ({
    page,
    visit,
  }) => {
    await visit(`/access/reviews/${reviewId}`);
    await expect(page.getByText("Completed", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
    await visit("/access/reviews");
    await expect(page.getByRole("form", { name: "Start an access review" })).toHaveCount(0);
    const done = await review(page);
    const refused = await page.request.post(
      `/api/access-reviews/${reviewId}/items/${done.items[0]!.assignment}`,
      { data: { decision: "confirm" }, headers: origin(page) },
    );
    expect(refused.status()).toBe(403);
  });
});

test.describe("the key administrator at the end", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("explains this run's own changes made behind the portal's back", async ({ page }) => {
    await page.goto("/access/reviews");
    const listed = (await (await page.request.get(`/api/out-of-band?hsm=${HSM}`)).json()) as {
      changes: { id: string; key: string | null }[];
    };
    const ours = listed.changes.filter((change) => change.key === KEY);
    expect(ours.length).toBeGreaterThan(0);
    for (const change of ours) {
      const explained = await page.request.post(`/api/out-of-band/${change.id}/explain`, {
        data: { reason: "Made by the access-review end-to-end test as its fixture" },
        headers: origin(page),
      });
      expect(explained.status(), await explained.text()).toBe(200);
    }
  });
});
