import { storageStatePath, type AccountName } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

const INVENTORY = ["Overview", "Keys", "Key templates", "Deleted keys", "Calendar"];
// An approver's link also shows how many requests wait for them, when any do (the count, then
// the same in words for screen readers).
const REQUESTS = /^Change requests(\d+, \d+ to review)?$/;
const ACCESS = ["Access", "Separation of duties"];
const SECTIONS: [AccountName, (string | RegExp)[]][] = [
  [
    "keyadmin",
    [
      ...INVENTORY,
      "Backups",
      REQUESTS,
      ...ACCESS,
      "Assurance",
      "Audit log",
      "Evidence",
      "Status",
      "Your account",
    ],
  ],
  // Auditors start at their own home, the assurance page.
  [
    "auditor",
    [
      "Assurance",
      ...INVENTORY,
      "Backups",
      REQUESTS,
      ...ACCESS,
      "Audit log",
      "Evidence",
      "Status",
      "Your account",
    ],
  ],
  ["approver", [...INVENTORY, "Backups", REQUESTS, ...ACCESS, "Your account"]],
  // Application teams start at their own keys.
  ["requester", ["My keys", ...INVENTORY, REQUESTS, "Your account"]],
];

for (const [name, sections] of SECTIONS) {
  test.describe(`as ${name}`, () => {
    test.use({ storageState: storageStatePath(name) });

    test(`the sidebar lists only the sections a ${name} may open`, async ({ page, visit }) => {
      await visit("/account");
      const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
      await expect(links).toHaveText(sections);
    });
  });
}

test.describe("a requester", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("cannot open the status page: the server answers 403 with an explanation", async ({
    page,
    visit,
    consoleErrors,
  }) => {
    const response = await page.request.get("/status", { maxRedirects: 0 });
    expect(response.status()).toBe(403);
    await visit("/status");
    await expect(page.getByRole("heading", { name: "You cannot open this page" })).toBeVisible();
    await expect(page.getByText("Every configured dependency answered.")).toHaveCount(0);
    expect(consoleErrors.splice(0)).toEqual([expect.stringContaining("403")]);
  });
});
