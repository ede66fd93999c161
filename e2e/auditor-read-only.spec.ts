import type { Page } from "@playwright/test";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * Auditors change nothing: walking every section of the sidebar and the first detail page each
 * list links to, an auditor meets no button that would change the portal or an HSM, and no form
 * that posts. Their own account page is the exception this walk leaves out: ending one's own
 * sessions is the only change an auditor may make (account.sessions.end).
 */

/** Words of a button that changes something; a name with any of them is a mutation control. */
const MUTATION =
  /\b(create|new|add|grant|revoke|remove|delete|rotate|approve|reject|cancel|start|confirm|flag|explain|back up|restore|sync|save|file|edit|import|recover|purge|disable|enable|change|set|upload|run)\b/i;

/**
 * Detail pages reached from a list: the first link of each pattern found on these pages. Requests
 * and reviews exist only once other specs have filed or run one (those specs show the auditor
 * their pages too).
 */
const DETAILS: [string, RegExp, "required" | "if-any"][] = [
  ["/keys", /^\/keys\/[^/]+\/[^/?]+$/, "required"],
  ["/requests", /^\/requests\/[0-9a-f-]{36}$/, "if-any"],
  ["/backups", /^\/backups\/runs\/[^/?]+$/, "required"],
  ["/access/reviews", /^\/access\/reviews\/[0-9a-f-]{36}$/, "if-any"],
];

async function firstLink(page: Page, pattern: RegExp): Promise<string | null> {
  const hrefs = await page
    .getByRole("main")
    .locator("a[href]")
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  return hrefs.find((href) => pattern.test(href)) ?? null;
}

/**
 * Controls that are the user's own and change nothing anyone else sees: personal calendar feeds
 * are read-only subscriptions to the calendar (each URL is the user's own secret), created with
 * "Create a feed URL" and revoked in the "Your feeds" list.
 */
const PERSONAL_BUTTON = "Create a feed URL";
const PERSONAL_REGION = "Your feeds";

/** The names of the page's buttons that would change something, and any form that posts. */
async function mutationControls(page: Page): Promise<string[]> {
  const main = page.getByRole("main");
  const names = await main
    .getByRole("button")
    .evaluateAll(
      (buttons, personal) =>
        buttons
          .filter((b) => !b.closest(`[aria-label="${personal}"]`))
          .map((b) => b.getAttribute("aria-label") ?? b.textContent?.trim() ?? ""),
      PERSONAL_REGION,
    );
  const posting = await main
    .locator("form")
    .evaluateAll((forms) =>
      forms
        .filter((form) => (form.getAttribute("method") ?? "get").toLowerCase() === "post")
        .map((form) => `a form posting to ${form.getAttribute("action") ?? "this page"}`),
    );
  return [...names.filter((name) => MUTATION.test(name) && name !== PERSONAL_BUTTON), ...posting];
}

test.describe("an auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("meets no control that changes anything on any page", async ({ page }) => {
    test.slow();
    await page.goto("/account");
    const sections = await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link")
      .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
    const paths = [
      ...sections.filter((href) => href !== "/account"),
      "/access/explorer",
      "/access/roles",
      "/access/reviews",
    ];
    for (const [list, pattern, need] of DETAILS) {
      await page.goto(list);
      const detail = await firstLink(page, pattern);
      if (need === "required")
        expect.soft(detail, `a detail page linked from ${list}`).not.toBeNull();
      if (detail) paths.push(detail);
    }
    expect(paths.length).toBeGreaterThan(12);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      expect
        .soft(await mutationControls(page), `controls that change something on ${path}`)
        .toEqual([]);
    }
  });
});

test.describe("a key administrator", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("meets the controls the auditor's walk looks for, so the walk is not blind", async ({
    page,
  }) => {
    await page.goto("/backups");
    expect(await mutationControls(page)).not.toEqual([]);
  });
});
