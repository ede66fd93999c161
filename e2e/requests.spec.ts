import { request, type APIRequestContext, type Page } from "@playwright/test";

import { readTestSettings } from "@/lib/env";
import { account, storageStatePath, type AccountName } from "@/e2e/fixtures/accounts";
import { grantRole } from "@/e2e/fixtures/emulator";
import { expectProblem } from "@/e2e/fixtures/http";
import { signInThroughApi, signInThroughPage } from "@/e2e/fixtures/sign-in";
import { expect, test } from "@/e2e/fixtures/test";
import { readLocalJson, type LocalJson } from "@/scripts/lib/local-json";

/*
 * Four eyes on every change: the key team files change requests through the API; an approver
 * approves one after a fresh sign-in and the portal executes it; the key team cannot approve its
 * own (no button, the reason shown, and 403 from the API); a deletion waits for a second
 * approver; a rejection keeps its reason; an auditor reads everything and decides nothing.
 */

const HSM = "keyward-weu";
const RUN = Date.now().toString(36);
const POLICY_KEY = `e2e-requests-policy-${RUN}`;
const DELETE_KEY = `e2e-requests-delete-${RUN}`;
const REPORTING_JOB = "1f1354cd-e903-4feb-9ed6-d008bebcbd66";
const ADMINISTRATOR = "a290e904-7015-4bba-90c8-60543313cdb4";
const CRYPTO_USER = "21dbd100-6940-42c2-9190-5d6cb909625b";
const PORTAL_IDENTITY = "2015083e-7640-441a-9e8f-790f7ceb1614";

/*
 * A sign-in in a browser ends the session that browser had; the saved states of the setup
 * project are shared by every spec, so whoever signs in afresh here starts without one.
 */
const NO_SESSION = { cookies: [], origins: [] };

test.describe.configure({ mode: "serial" });

let stack: LocalJson;
let keyadmin: APIRequestContext;
/** An approver's API session signed in with fresh credentials (deciding needs one). */
let approverApi: APIRequestContext;
const ids = { policy: "", deletion: "", update: "", critical: "" };

/** Signed in as a demo account's saved state, or (no name) with no cookie at all. */
function context(name?: AccountName) {
  return request.newContext({
    baseURL: stack.portal.url,
    storageState: name ? storageStatePath(name) : NO_SESSION,
  });
}

async function file(kind: string, items: unknown[], justification: string): Promise<string> {
  const response = await keyadmin.post("/api/requests", {
    data: { kind, hsm: HSM, justification, items },
    headers: { origin: new URL(stack.portal.url).origin },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** The request's state; a failed one with its items' errors, so that a failure says why. */
async function stateOf(id: string): Promise<string> {
  const response = await keyadmin.get(`/api/requests/${id}`);
  const request = (await response.json()) as { state: string; items: { error: string | null }[] };
  const errors = request.items.flatMap((item) => (item.error ? [item.error] : []));
  return errors.length > 0 ? `${request.state}: ${errors.join("; ")}` : request.state;
}

async function approveThroughApi(id: string) {
  return approverApi.post(`/api/requests/${id}/approve`, {
    data: { comment: "Checked against the change calendar." },
    headers: { origin: new URL(stack.portal.url).origin },
  });
}

test.beforeAll(async () => {
  test.setTimeout(60_000);
  stack = readLocalJson(readTestSettings().e2eDataDir!);
  keyadmin = await context("keyadmin");
  approverApi = await context();
  await signInThroughApi(approverApi, account(stack, "approver"), { reauthenticate: true });
  // The portal executes approved changes with its own identity, which needs a role that may
  // create, change and delete keys (the seed gives it only Administrator and Crypto Auditor):
  // granted here as the HSM's administrator would, on this HSM's keys only.
  await grantRole(stack, HSM, {
    name: "5f0c2b6e-2a3d-4e8f-9b1a-7c6d5e4f3a22",
    scope: "/keys",
    roleDefinitionId: CRYPTO_USER,
    principalId: PORTAL_IDENTITY,
  });

  // Two keys of this run's own, made through a request, so that no other spec sees them change.
  const create = await file(
    "key.create",
    [
      { key: POLICY_KEY, kty: "EC", curve: "P-256", tags: { app: "e2e-requests" } },
      { key: DELETE_KEY, kty: "EC", curve: "P-256" },
    ],
    "Keys for the change-request tests.",
  );
  expect((await approveThroughApi(create)).status()).toBe(200);
  await expect.poll(() => stateOf(create), { timeout: 30_000 }).toBe("executed");

  ids.policy = await file(
    "key.rotation-policy",
    [
      {
        key: POLICY_KEY,
        policy: {
          lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
          expiresIn: "P1Y",
        },
      },
    ],
    "Rotate every 90 days, as the key policy asks.",
  );
  ids.deletion = await file("key.delete", [{ key: DELETE_KEY }], "The test key is no longer used.");
  ids.update = await file(
    "key.update",
    [{ key: POLICY_KEY, tags: { app: "e2e-requests", stage: "test" } }],
    "Tag the key with its stage.",
  );
  // Administrator for a workload that uses keys: a critical separation-of-duties finding.
  ids.critical = await file(
    "role-assignment.create",
    [{ scope: "/", roleDefinitionId: ADMINISTRATOR, principalId: REPORTING_JOB }],
    "The reporting job needs to manage its own role assignments.",
  );
});

test.afterAll(async () => {
  await keyadmin?.dispose();
  await approverApi?.dispose();
});

/** Follows "Sign in again" through the identity provider's form, back to the request. */
async function signInAgain(page: Page, name: AccountName, requestId: string) {
  await page.getByRole("link", { name: "Sign in again to approve or reject" }).click();
  await fillSignInForm(page, name);
  await expect(page).toHaveURL(new RegExp(`/requests/${requestId}$`));
}

/** The identity provider's form when the portal demands fresh credentials. */
async function fillSignInForm(page: Page, name: AccountName) {
  await expect(
    page.getByText("Keyward asks you to confirm it is you: sign in again."),
  ).toBeVisible();
  await page.getByLabel("Username").fill(account(stack, name).login);
  await page.getByLabel("Password").fill(account(stack, name).password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The request's state badge in the page header. */
const stateBadge = (page: Page) => page.getByRole("main").locator("[data-state]").first();

/**
 * Presses Approve on a request the approval completes, once the page's scripts have loaded (a
 * press before hydration submits nothing), and waits for the portal's answer: a reload before it
 * arrives would abort the approval in flight.
 */
async function approveToQuorum(page: Page) {
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByText("Approved. The portal makes the change now.")).toBeVisible();
}

/** Reloads the request page until the executor has made the change (it starts at approval). */
async function expectExecuted(page: Page) {
  await expect(async () => {
    await page.reload();
    await expect(stateBadge(page)).toHaveText("Executed", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

test.describe("an approver", () => {
  test.use({ storageState: NO_SESSION });

  test("approves a rotation policy after a fresh sign-in; the key then has it", async ({
    page,
    visit,
    expectAccessible,
    consoleErrors,
  }) => {
    test.slow(); // two sign-ins through the identity provider, and an execution
    // An ordinary sign-in: deciding then asks for a fresh one.
    await signInThroughPage(page, account(stack, "approver"), "/requests?toReview=true");
    await expectAccessible();
    await expect(
      page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: /^Change requests\W+\d+ to review$/ }),
    ).toBeVisible();
    const row = page.locator(`tr[data-request="${ids.policy}"]`);
    await expect(row).toContainText("Set a rotation policy");
    await expect(row).toContainText("0 of 1");
    await row.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/requests/${ids.policy}$`));
    await expect(
      page.getByText(
        "rotation policy: rotate 90 days after creation, versions expire after 1 year (was: none)",
      ),
    ).toBeVisible();

    await signInAgain(page, "approver", ids.policy);
    await page.getByLabel("Comment").fill("90 days, as the key policy says.");
    await approveToQuorum(page);
    await expectExecuted(page);
    await expect(page.getByRole("list", { name: "Decisions" })).toContainText(
      "Comment: 90 days, as the key policy says.",
    );
    await page.goto(`/keys/${HSM}/${POLICY_KEY}`);
    await expect(
      page.getByText(
        "Rotates automatically 90 days after each version is created. New versions expire 1 year after they are created.",
      ),
    ).toBeVisible();

    // Approving a grant that adds a critical finding asks why it is acceptable first.
    await visit(`/requests/${ids.critical}`);
    await expect(page.getByText("Findings it adds")).toBeVisible();
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    const acknowledge = page.getByRole("group", {
      name: "Approving adds critical separation-of-duties findings:",
    });
    await expect(acknowledge.getByText("Critical").first()).toBeVisible();
    await expect(acknowledge.getByLabel(/Why are these findings acceptable/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Acknowledge and approve" })).toBeVisible();
    expect(await stateOf(ids.critical)).toBe("pending");
    expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("422")]);
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("reads the requests and a pending one's impact, and has nothing to press", async ({
    page,
  }) => {
    // The pages were checked with axe for the roles that decide; here, what is on them.
    await page.goto("/requests");
    await expect(
      page.getByRole("navigation", { name: "Request views" }).getByRole("link"),
    ).toHaveText(["Mine", "All"]);
    await expect(page.locator(`tr[data-request="${ids.deletion}"]`)).toContainText("Delete a key");
    await page.goto(`/requests/${ids.critical}`);
    await expect(page.getByText("Findings it adds")).toBeVisible();
    await expect(page.getByTestId("decision-refusal")).toHaveText(
      "Deciding a request needs the Approver role.",
    );
    await expect(page.getByRole("button", { name: /Approve|Reject|Cancel/ })).toHaveCount(0);
  });
});

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("cannot approve its own request, and withdraws one", async ({ page, visit }) => {
    await page.goto("/requests?mine=true");
    await expect(page.locator(`tr[data-request="${ids.deletion}"]`)).toContainText("0 of 2");
    await visit(`/requests/${ids.deletion}`);
    await expect(page.getByRole("heading", { name: "Approvals: 0 of 2" })).toBeVisible();
    await expect(page.getByTestId("decision-refusal")).toHaveText(
      "Deciding a request needs the Approver role.",
    );
    await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
    const refused = await page.request.post(`/api/requests/${ids.deletion}/approve`, {
      data: {},
      headers: { origin: new URL(stack.portal.url).origin },
    });
    await expectProblem(refused, 403, "forbidden");

    await page.goto(`/requests/${ids.critical}`);
    await page.getByRole("button", { name: "Cancel this request" }).click();
    await page.getByRole("button", { name: "Yes, cancel the request" }).click();
    await expect(stateBadge(page)).toHaveText("Cancelled");
  });
});

test.describe("a key administrator who is also an approver", () => {
  test.use({ storageState: NO_SESSION });

  test("adds the second approval a deletion needs, and rejects a change with a reason", async ({
    page,
    visit,
  }) => {
    test.slow(); // a sign-in through the identity provider, and an execution
    expect((await approveThroughApi(ids.deletion)).status()).toBe(200);
    // Signed in with fresh credentials from the start, so the request can be decided at once.
    await page.goto(`/api/auth/sign-in?reauth=1&returnTo=/requests/${ids.deletion}`);
    await fillSignInForm(page, "dualrole");
    await expect(page).toHaveURL(new RegExp(`/requests/${ids.deletion}$`));
    await expect(page.getByRole("heading", { name: "Approvals: 1 of 2" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Decisions" })).toContainText("Avery Approver");
    await approveToQuorum(page);
    await expectExecuted(page);
    await expect(page.getByRole("heading", { name: "Approvals: 2 of 2" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Decisions" })).toContainText("Dana Dualrole");

    await visit(`/requests/${ids.update}`);
    await expect(page.getByText("tags stage: (none) → test")).toBeVisible();
    await page.getByLabel("Reason for rejecting").fill("Stages are tagged by the platform team.");
    await page.getByRole("button", { name: "Reject" }).click();
    await expect(stateBadge(page)).toHaveText("Rejected");
    await expect(page.getByRole("list", { name: "Decisions" })).toContainText(
      "Reason: Stages are tagged by the platform team.",
    );
  });
});
