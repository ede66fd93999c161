import { request, type APIRequestContext } from "@playwright/test";

import { readTestSettings } from "@/lib/env";
import { account, storageStatePath } from "@/e2e/fixtures/accounts";
import { grantRole } from "@/e2e/fixtures/emulator";
import { expectProblem } from "@/e2e/fixtures/http";
import { filedRequest } from "@/e2e/fixtures/requests";
import { signInThroughApi } from "@/e2e/fixtures/sign-in";
import { expect, test } from "@/e2e/fixtures/test";
import { readLocalJson, type LocalJson } from "@/scripts/lib/local-json";

/*
 * Self-service as an application team lives it: the requester makes a key from a template and,
 * once an approver approves, finds it on "My keys"; asks for an hour's access for their
 * application's service principal; cannot ask anything for another group's key; and the
 * approver sees which template the request falls under and its separation-of-duties impact.
 */

const HSM = "keyward-weu";
const RUN = Date.now().toString(36);
const APP = `e2e${RUN}`;
const KEY = `payments-${APP}-test-01`;
const PAYMENTS = "3243182d-1727-4605-9abd-29ce37fe0480";
const IDENTITY = "7f3c2a91-5e64-4b0d-9c8e-2a1f6d4b7e10";
const PAYMENTS_API = "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe";
const CRYPTO_USER = "21dbd100-6940-42c2-9190-5d6cb909625b";
const PORTAL_IDENTITY = "2015083e-7640-441a-9e8f-790f7ceb1614";

test.describe.configure({ mode: "serial" });

let stack: LocalJson;
let keyadmin: APIRequestContext;
let requester: APIRequestContext;
let approverApi: APIRequestContext;
const ids = { key: "", grant: "" };

const origin = () => ({ origin: new URL(stack.portal.url).origin });

async function stateOf(id: string): Promise<string> {
  const response = await keyadmin.get(`/api/requests/${id}`);
  const body = (await response.json()) as { state: string; items: { error: string | null }[] };
  const errors = body.items.flatMap((item) => (item.error ? [item.error] : []));
  return errors.length > 0 ? `${body.state}: ${errors.join("; ")}` : body.state;
}

async function approveAndExecute(id: string) {
  const approved = await approverApi.post(`/api/requests/${id}/approve`, {
    data: { comment: "Within the template." },
    headers: origin(),
  });
  expect(approved.status(), await approved.text()).toBe(200);
  await expect.poll(() => stateOf(id), { timeout: 30_000 }).toBe("executed");
}

test.beforeAll(async () => {
  test.setTimeout(60_000);
  stack = readLocalJson(readTestSettings().e2eDataDir!);
  const context = (state?: string) =>
    request.newContext({
      baseURL: stack.portal.url,
      storageState: state ?? { cookies: [], origins: [] },
    });
  keyadmin = await context(storageStatePath("keyadmin"));
  requester = await context(storageStatePath("requester"));
  approverApi = await context();
  await signInThroughApi(approverApi, account(stack, "approver"), { reauthenticate: true });
  // The portal's identity writes keys with Crypto User at /keys, as an HSM administrator grants it
  // (the same assignment the change-request spec makes: granting it twice changes nothing).
  await grantRole(stack, HSM, {
    name: "5f0c2b6e-2a3d-4e8f-9b1a-7c6d5e4f3a22",
    scope: "/keys",
    roleDefinitionId: CRYPTO_USER,
    principalId: PORTAL_IDENTITY,
  });
});

test.afterAll(async () => {
  await Promise.all([keyadmin?.dispose(), requester?.dispose(), approverApi?.dispose()]);
});

test.describe("a requester", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("makes a key from a template and, once approved, finds it on My keys", async ({
    page,
    visit,
    expectAccessible,
    consoleErrors,
  }) => {
    // Filing, approving, executing and the requester's pages: about 30 s on a loaded CI machine.
    test.slow();
    await visit("/");
    await expect(page).toHaveURL(/\/my-keys$/);
    await expect(page.getByRole("heading", { name: "My keys", level: 1 })).toBeVisible();
    await page.getByRole("link", { name: "New key from a template" }).click();
    await expect(page).toHaveURL(/\/my-keys\/new$/);
    await expectAccessible();
    await page.getByLabel("Template").selectOption("storage-cmk");
    await expect(page.getByText("RSA-HSM 3072", { exact: true })).toBeVisible();
    await page.getByLabel("HSM").selectOption(HSM);
    await page.getByLabel("Owner group").selectOption(PAYMENTS);
    await page.getByLabel("app").fill(APP);
    await page.getByLabel("environment").selectOption("test");
    await expect(page.getByLabel("Name (optional)")).toHaveAttribute("placeholder", KEY);
    await page
      .getByLabel("Justification")
      .fill("Customer-managed key for the e2e storage account.");
    await page.getByRole("button", { name: "File the request" }).click();
    const filed = await filedRequest(page);
    expect(filed).toMatchObject({ kind: "key.create", state: "pending", approvalsRequired: 1 });
    expect(filed.items[0]!.change).toMatchObject({
      key: KEY,
      kty: "RSA",
      size: 3072,
      tags: { owner: PAYMENTS, template: "storage-cmk", app: APP, environment: "test" },
    });
    ids.key = (
      (await (await page.request.get(`/api/requests?mine=true&limit=1`)).json()) as {
        requests: { id: string }[];
      }
    ).requests[0]!.id;

    await approveAndExecute(ids.key);
    await page.goto("/my-keys");
    await expect(
      page.getByRole("region", { name: "Your keys" }).getByRole("link", { name: KEY }),
    ).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test("asks for an hour's access for their application's service principal", async ({
    page,
    expectAccessible,
  }) => {
    await page.goto(`/keys/${HSM}/${KEY}`);
    await page.getByRole("button", { name: "Give my application access" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Application").fill("payments");
    await dialog.getByRole("radio", { name: /payments-api/ }).check();
    await dialog.getByLabel("Role").selectOption(CRYPTO_USER);
    await dialog.getByLabel("For how long").selectOption("PT1H");
    await expectAccessible();
    await dialog
      .getByLabel("Justification")
      .fill("The payments API reads card tokens for an hour.");
    await dialog.getByRole("button", { name: "File the request" }).click();
    const filed = await filedRequest(page);
    expect(filed).toMatchObject({ kind: "role-assignment.create", approvalsRequired: 1 });
    expect(filed.items[0]!.change).toMatchObject({
      scope: `/keys/${KEY}`,
      principalId: PAYMENTS_API,
      expiresAfter: "PT1H",
    });
    ids.grant = (
      (await (await page.request.get(`/api/requests?mine=true&limit=1`)).json()) as {
        requests: { id: string }[];
      }
    ).requests[0]!.id;
  });

  test("asks nothing for another group's key: the server answers as if it did not exist", async () => {
    const found = await keyadmin.get(`/api/keys?owner=${IDENTITY}&pageSize=25`);
    const other = ((await found.json()) as { items: { name: string }[] }).items[0]!.name;
    const file = (kind: string, items: unknown[]) =>
      requester.post("/api/requests", {
        data: { kind, hsm: HSM, justification: "Trying another team's key.", items },
        headers: origin(),
      });
    await expectProblem(await file("key.rotate", [{ key: other }]), 404, "not-found");
    await expectProblem(
      await file("role-assignment.create", [
        { scope: `/keys/${other}`, roleDefinitionId: CRYPTO_USER, principalId: PAYMENTS_API },
      ]),
      404,
      "not-found",
    );
    await expectProblem(
      await file("role-assignment.create", [
        { scope: "/", roleDefinitionId: CRYPTO_USER, principalId: PAYMENTS_API },
      ]),
      403,
      "forbidden",
    );
    expect(
      (await requester.get(`/api/hsms/${HSM}/keys/${other}/public-key?format=jwk`)).status(),
    ).toBe(404);
  });
});

test.describe("an approver", () => {
  test.use({ storageState: storageStatePath("approver") });

  test("sees the template a grant falls under and its separation-of-duties impact", async ({
    page,
    visit,
  }) => {
    await visit(`/requests/${ids.grant}`);
    await expect(page.getByText("Key template", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "storage-cmk" })).toBeVisible();
    await expect(
      page.getByText("as the key template storage-cmk says", { exact: false }).first(),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: "Separation of duties" })).toBeVisible();
    await expect(page.getByText(/grant .* to payments-api at key /)).toBeVisible();
    await approveAndExecute(ids.grant);
    // Executed: the key's page shows the grant with the time it has left.
    await page.goto(`/keys/${HSM}/${KEY}`);
    await expect(page.getByText(/^ends in (59 min|1 h)$/)).toBeVisible();
  });
});
