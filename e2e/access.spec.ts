import type { Page } from "@playwright/test";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Access and separation of duties over the seeded demo data: the deliberate conflicts appear on
 * the separation-of-duties page and on the key they affect, the explorer shows what a group
 * member inherits, rules can be switched off (and the change is recorded), the exports carry the
 * same findings, and those without the permission see none of it.
 */

const SIGNING_KEY = "/keys/keyward-weu/payments-signing-prod-01";
const REQUESTER = "ebf4045b-c242-4ca5-9ba7-7f05fa3a76a6";
const ORPHAN = "5d1e0c9a-7b3f-4e28-9a61-c4f0b2d8e7a5";

/** Opens a rule's group on the separation-of-duties page (each starts collapsed). */
async function openRule(page: Page, ruleId: string) {
  const group = page.locator(`details[data-rule="${ruleId}"]`);
  if ((await group.getAttribute("open")) === null) await group.locator("summary").click();
  await expect(group).toHaveAttribute("open", "");
}

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("sees the seeded conflicts on the separation-of-duties page", async ({ page, visit }) => {
    await visit("/sod");
    await expect(
      page.getByRole("heading", { level: 1, name: "Separation of duties" }),
    ).toBeVisible();
    // One collapsed summary line per rule with findings (severity, rule, count)...
    const groups = page.getByRole("list", { name: "Findings by rule" }).locator("details");
    const rules = await groups.evaluateAll((all) => all.map((d) => d.getAttribute("data-rule")));
    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(new Set(rules).size).toBe(rules.length);
    expect(
      await groups.evaluateAll((all) => all.filter((d) => d.hasAttribute("open")).length),
    ).toBe(0);
    const manage = page.locator('details[data-rule="manage-and-use"]');
    await expect(manage.locator("summary")).toContainText(
      /High\s*Manages keys and uses them\s*\d+ findings/,
    );
    await expect(manage.getByText(/Dana Dualrole can manage keys/).first()).toBeHidden();
    // ...that opens to its findings.
    await manage.locator("summary").click();
    for (const rule of [
      "orphan-or-guest",
      "keyadmin-and-approver",
      "admin-individual",
      "custom-role-mixed",
    ])
      await openRule(page, rule);
    const conflicts = page.getByRole("list", { name: "Manages keys and uses them" }).first();
    await expect(
      conflicts.getByText(/Dana Dualrole can manage keys \(Managed HSM Crypto Officer\)/).first(),
    ).toBeVisible();
    await expect(conflicts.getByText(/payments-api can manage keys/).first()).toBeVisible();
    await expect(
      page.getByText(new RegExp(`name principal ${ORPHAN}|names principal ${ORPHAN}`)).first(),
    ).toBeVisible();
    await expect(
      page.getByText(/Guest user Ana Vendor \(guest\) holds Card key operator/).first(),
    ).toBeVisible();
    await expect(
      page.getByText(
        /Dana Dualrole holds Keyward.KeyAdmin through Key team and Keyward.Approver directly/,
      ),
    ).toBeVisible();
    await expect(
      page.getByText(/User Kim Keyadmin holds the Administrator role on keyward-weu directly/),
    ).toBeVisible();
    await expect(
      page.getByText(/Custom role "Card key operator" both manages keys and uses them/).first(),
    ).toBeVisible();

    // A changed menu applies at once; the one rule left opens by itself.
    await page.getByLabel("HSM", { exact: true }).selectOption("keyward-neu");
    await expect(page).toHaveURL(/hsm=keyward-neu/);
    await page.getByLabel("Severity", { exact: true }).selectOption("critical");
    await expect(page).toHaveURL(/hsm=keyward-neu&severity=critical/);
    await expect(groups).toHaveCount(1);
    await expect(page.getByText(/Kim Keyadmin can grant roles/)).toBeVisible();
  });

  test("sees the conflicts and effective access on the affected key", async ({ page, visit }) => {
    await visit(SIGNING_KEY);
    const access = page.getByRole("region", { name: "Role assignments" });
    const team = access
      .getByRole("row")
      .filter({ has: page.getByText("Payments team", { exact: true }) });
    await expect(team).toContainText("use keys");
    await expect(team).toContainText("This key");
    const api = access.getByRole("row").filter({ hasText: "payments-api" });
    await expect(api).toContainText("manage keys and access");
    await expect(api).toContainText("Managed HSM Crypto Officer");
    // A member of the team holds the same access through the group.
    const member = access.getByRole("row").filter({ hasText: "Remy Requester" });
    await expect(member).toContainText("through Payments team");
    const findings = page.getByRole("list", { name: "Findings for this key" });
    await expect(findings.getByText(/payments-api can manage keys/)).toBeVisible();
    await page
      .getByRole("link", { name: /separation-of-duties findings?/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/sod\?hsm=keyward-weu&key=payments-signing-prod-01/);
    await openRule(page, "manage-and-use");
    await expect(page.getByText(/payments-api can manage keys/).first()).toBeVisible();
  });

  test("explores a group member's inherited permissions", async ({ page, visit }) => {
    await visit("/access/explorer");
    await page.getByLabel("Principal", { exact: true }).selectOption(REQUESTER);
    await page.getByRole("button", { name: "Show access" }).click();
    await expect(page).toHaveURL(new RegExp(`principal=${REQUESTER}`));
    const reach = page.getByRole("region", { name: "Keys this principal reaches" });
    const row = reach.getByRole("row").filter({ hasText: "keyward-weu" });
    await expect(row.getByRole("link", { name: "payments-signing-prod-01" })).toBeVisible();
    await expect(row).toContainText("Managed HSM Crypto User");
    await expect(row.getByRole("link", { name: "Payments team" })).toBeVisible();
    await row.getByText("use keys").click();
    await expect(row.getByText("Sign with keys")).toBeVisible();
    await expect(page.getByText(/member of Payments team/)).toBeVisible();
  });

  test("lists every role assignment with names, filters them, and exports CSV", async ({
    page,
    visit,
  }) => {
    await visit("/access");
    const table = page.getByRole("region", { name: "Role assignments" });
    await expect(table.getByText("Card issuing team").first()).toBeVisible();
    // A deleted principal says so, with its id; never a bare id.
    const orphan = table.getByRole("row").filter({ hasText: ORPHAN });
    await expect(orphan.getByText("Deleted principal").first()).toBeVisible();
    await page.getByLabel("Principal kind").selectOption("servicePrincipal");
    await expect(page).toHaveURL(/kind=servicePrincipal/);
    await page.getByLabel("HSM", { exact: true }).selectOption("keyward-weu");
    await expect(page).toHaveURL(/hsm=keyward-weu&.*kind=servicePrincipal/);
    await expect(table.getByText("Card issuing team")).toHaveCount(0);
    await expect(table.getByText("reporting-job").first()).toBeVisible();

    const csv = await page.request.get(
      "/api/access/assignments/export?kind=servicePrincipal&hsm=keyward-weu",
    );
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "hsm,assignment,scope,role,role_type,principal,principal_kind,principal_status,principal_detail,principal_id",
    );
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines.slice(1))
      expect(line).toMatch(/^keyward-weu,.*,servicePrincipal,exists,/);
  });

  test("shows role definitions with their actions in plain words", async ({ page, visit }) => {
    await visit("/access/roles");
    const officer = page
      .getByText("Managed HSM Crypto Officer")
      .first()
      .locator("xpath=ancestor::div[@data-slot='card']");
    await expect(officer.getByText("Purge deleted keys")).toBeVisible();
    await expect(page.getByText("Card key operator").first()).toBeVisible();
  });

  test("switches a rule off and on again; both changes are recorded", async ({ page, visit }) => {
    await visit("/sod");
    const rule = page.getByRole("form", {
      name: "Setting of Backup and restore in the same hands",
    });
    const mediumBefore = Number(
      await page
        .getByRole("list", { name: "Findings by severity" })
        .getByRole("link")
        .nth(2)
        .innerText()
        .then((t) => t.replace(/\D/g, "")),
    );
    await rule.getByLabel("On").uncheck();
    await rule.getByRole("button", { name: "Save" }).click();
    await expect(rule.getByText("Saved and recorded.")).toBeVisible();
    const changes = page.getByRole("list", { name: "Changes to the rules" });
    await expect(
      changes.getByText(
        /Kim Keyadmin set “Backup and restore in the same hands” to off, was medium/,
      ),
    ).toBeVisible();
    await expect(page.getByText(/can start a full backup/)).toHaveCount(0);
    await expect
      .poll(async () =>
        Number(
          (
            await page
              .getByRole("list", { name: "Findings by severity" })
              .getByRole("link")
              .nth(2)
              .innerText()
          ).replace(/\D/g, ""),
        ),
      )
      .toBeLessThan(mediumBefore);

    await rule.getByLabel("On").check();
    await rule.getByRole("button", { name: "Save" }).click();
    await expect(changes.getByText(/to medium, was off/)).toBeVisible();
    await openRule(page, "backup-and-restore");
    await expect(page.getByText(/can start a full backup/).first()).toBeVisible();
  });

  test("gets a clear error for a bad rule setting, and the what-if answer for a change", async ({
    page,
    stack,
  }) => {
    const origin = new URL(stack.portal.url).origin;
    const bad = await page.request.put("/api/sod/rules/several-roles", {
      data: { enabled: true, severity: "urgent" },
      headers: { origin },
    });
    expect(bad.status()).toBe(422);
    expect(bad.headers()["content-type"]).toContain("application/problem+json");
    const unknown = await page.request.put("/api/sod/rules/no-such-rule", {
      data: { enabled: true, severity: "low" },
      headers: { origin },
    });
    expect(unknown.status()).toBe(404);

    const answer = await page.request.post("/api/sod/what-if", {
      data: {
        op: "add",
        hsm: "keyward-weu",
        scope: "/keys/payments-signing-prod-01",
        roleDefinitionId: "515eb02d-2335-4d2d-92f2-b1cbdf9c3778",
        principalId: "3243182d-1727-4605-9abd-29ce37fe0480",
      },
      headers: { origin },
    });
    expect(answer.status()).toBe(200);
    const body = (await answer.json()) as { added: { ruleId: string; summary: string }[] };
    expect(body.added.map((f) => f.ruleId)).toContain("manage-and-use");
    expect(body.added.find((f) => f.ruleId === "manage-and-use")?.summary).toMatch(
      /Payments team can manage keys/,
    );
  });

  test("exports the findings as JSON evidence", async ({ page }) => {
    const response = await page.request.get("/api/sod/findings?format=json&rule=orphan-or-guest");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as {
      count: number;
      findings: { ruleId: string; principals: { id: string }[]; fix: string }[];
    };
    expect(body.count).toBeGreaterThanOrEqual(2);
    expect(body.findings.every((f) => f.ruleId === "orphan-or-guest" && f.fix.length > 0)).toBe(
      true,
    );
    expect(body.findings.some((f) => f.principals.some((p) => p.id === ORPHAN))).toBe(true);
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("sees findings and rules but cannot change a rule", async ({ page, visit }) => {
    await visit("/sod");
    await openRule(page, "manage-and-use");
    await expect(page.getByText(/Dana Dualrole can manage keys/).first()).toBeVisible();
    await expect(page.getByRole("list", { name: "Rules", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
  });
});

test.describe("a requester", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("has no access views and sees no findings on an owned key", async ({
    page,
    visit,
    consoleErrors,
  }) => {
    await visit("/overview");
    const nav = page.getByRole("navigation", { name: /main/i });
    await expect(nav.getByRole("link", { name: "Access" })).toHaveCount(0);
    const response = await page.goto("/sod");
    expect(response?.status()).toBe(403);
    consoleErrors.splice(0);
    await visit(SIGNING_KEY);
    await expect(
      page
        .getByRole("region", { name: "Role assignments" })
        .getByText("Payments team", { exact: true }),
    ).toBeVisible();
    await expect(page.getByText("Findings for this key")).toHaveCount(0);
  });
});
