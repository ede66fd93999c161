import ICAL from "ical.js";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The rotation calendar over the seeded keys: rotations on the days the policies give, moving
 * between months and filtering, the health panel, and a personal iCalendar feed that parses and
 * lists the same events, until it is revoked.
 */

interface ApiKey {
  hsm: string;
  name: string;
  nextRotationAt: number | null;
  owner: string | null;
}
interface ApiEvent {
  id: string;
  kind: string;
  at: string;
  hsm: string;
  name: string;
  owner: string | null;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

test.describe("the key team", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("finds a seeded key's next rotation on its day, and moves between months", async ({
    page,
    visit,
  }) => {
    const keys = (await (
      await page.request.get("/api/keys?hsm=keyward-weu&policy=rotates&sort=rotation&pageSize=25")
    ).json()) as { items: ApiKey[] };
    const key = keys.items.find((k) => k.nextRotationAt !== null && k.nextRotationAt > Date.now())!;
    const date = day(key.nextRotationAt!);

    await visit(`/calendar?view=week&date=${date}&hsm=keyward-weu&kind=rotation`);
    const cell = page.locator(`td[data-day="${date}"]`);
    const chip = cell.getByRole("link", { name: new RegExp(`${key.name} rotates`) });
    await expect(chip).toBeVisible();
    await expect(chip.locator("time")).toHaveAttribute(
      "datetime",
      new Date(key.nextRotationAt!).toISOString(),
    );
    await expect(page.locator('[data-kind="expiry"]')).toHaveCount(0);

    await page.getByRole("link", { name: "Month" }).click();
    await expect(page).toHaveURL(/view=month/);
    const month = new Date(key.nextRotationAt!).toLocaleString("en", {
      month: "long",
      timeZone: "UTC",
    });
    await expect(page.getByRole("heading", { level: 2, name: new RegExp(month) })).toBeVisible();
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/hsm=keyward-weu/);
    await expect(page).toHaveURL(/kind=rotation/);
    await expect(page.getByRole("heading", { level: 2, name: new RegExp(month) })).toHaveCount(0);

    await chip.waitFor({ state: "detached" });
    await page.goBack();
    await page
      .locator(`td[data-day="${date}"]`)
      .getByRole("link", { name: /rotates|more/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/keys\/|view=week/);
  });

  test("filters by kind and shows the rotation health panel", async ({ page, visit }) => {
    await visit("/calendar?view=agenda");
    await page.getByLabel("Kind").selectOption("expiry");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/kind=expiry/);
    await expect(page).toHaveURL(/view=agenda/);
    await expect(page.locator('[data-kind="expiry"]').first()).toBeVisible();
    await expect(page.locator('[data-kind="rotation"]')).toHaveCount(0);
    const health = page.getByRole("region", { name: "Rotation health" });
    await expect(
      health.getByRole("heading", { name: /^No rotation policy \(\d+\)/ }),
    ).toBeVisible();
    await expect(health.getByRole("heading", { name: /^Expired \(\d+\)/ })).toBeVisible();
  });

  test("subscribes to a feed that parses as iCalendar, lists the same events, and can be revoked", async ({
    page,
    visit,
    playwright,
    stack,
  }) => {
    await visit("/calendar");
    // Newest first; other tests may have made feeds for this account too.
    const feeds = page.getByRole("list", { name: "Your feeds" }).getByRole("listitem");
    const initial = await feeds.count();
    await page.getByRole("button", { name: "Create a feed URL" }).click();
    await expect(feeds).toHaveCount(initial + 1);
    const url = await page.getByLabel(/Your new feed URL/).inputValue();
    expect(url).toMatch(/\/api\/calendar\/feed\?token=[A-Za-z0-9_-]{43}$/);

    const anonymous = await playwright.request.newContext({ baseURL: stack.portal.url });
    const feed = await anonymous.get(url);
    expect(feed.status()).toBe(200);
    expect(feed.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
    const calendar = ICAL.Component.fromString(await feed.text());
    const feedEvents = calendar
      .getAllSubcomponents("vevent")
      .map((c) => new ICAL.Event(c))
      .map((e) => `${e.startDate.toJSDate().toISOString()} ${e.summary}`);

    const api = (await (await page.request.get("/api/calendar/events?view=month")).json()) as {
      from: string;
      to: string;
      events: (ApiEvent & { title: string })[];
    };
    const fromApi = api.events
      .filter((e) => e.kind !== "reminder")
      .map((e) => `${new Date(e.at).toISOString()} ${e.title} (${e.hsm})`);
    expect(fromApi.length).toBeGreaterThan(0);
    const inWindow = feedEvents.filter((line) => {
      const at = line.slice(0, 24);
      return at >= api.from && at < api.to;
    });
    expect(inWindow.sort()).toEqual(fromApi.sort());

    await feeds.first().getByRole("button", { name: "Revoke" }).click();
    await expect(feeds).toHaveCount(initial);
    expect((await anonymous.get(url)).status()).toBe(404);
    await anonymous.dispose();
  });
});

test.describe("a requester", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("sees only the events of keys their groups own", async ({ page, visit }) => {
    await visit("/calendar?view=agenda");
    const api = (await (await page.request.get("/api/calendar/events?view=agenda")).json()) as {
      events: ApiEvent[];
    };
    expect(api.events.length).toBeGreaterThan(0);
    expect(new Set(api.events.map((e) => e.owner))).toEqual(
      new Set(["3243182d-1727-4605-9abd-29ce37fe0480"]),
    );
  });
});

test.describe("an approver", () => {
  test.use({ storageState: storageStatePath("approver") });

  test("cannot hold more than ten live feeds", async ({ page, stack }) => {
    const origin = new URL(stack.portal.url).origin;
    const made: string[] = [];
    let response = await page.request.post("/api/calendar/feeds", { headers: { origin } });
    while (response.status() === 201) {
      made.push(((await response.json()) as { id: string }).id);
      response = await page.request.post("/api/calendar/feeds", { headers: { origin } });
    }
    expect(response.status()).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/10 calendar feeds/);
    for (const id of made)
      expect(
        (await page.request.delete(`/api/calendar/feeds/${id}`, { headers: { origin } })).status(),
      ).toBe(204);
  });
});
