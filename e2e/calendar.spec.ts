import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import ICAL from "ical.js";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The rotation calendar over the seeded keys: rotations on the days the policies give, moving
 * between months and filtering, whole key names on the chips, the health panel and its full
 * lists, no sideways scrolling on a phone, and a named personal iCalendar feed that parses and
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
    await page.getByRole("link", { name: "Next", exact: true }).click();
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
    await expect(page.getByLabel("Kind").locator("option")).toHaveText([
      "Any",
      "Rotations",
      "Expiries",
      "Reminders",
    ]);
    await expect(page.getByText(/Expirys/)).toHaveCount(0);
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
    // Other tests may have made feeds for this account too: this one is found by its name.
    const feeds = page.getByRole("list", { name: "Your feeds" }).getByRole("listitem");
    const initial = await feeds.count();
    const nameField = page.getByLabel("Feed name");
    await expect(nameField).toHaveValue(/^Outlook – work laptop/);

    await nameField.fill("   ");
    await page.getByRole("button", { name: "Create a feed URL" }).click();
    await expect(page.getByText("Give the feed a name.")).toBeVisible();
    await expect(nameField).toHaveAttribute("aria-invalid", "true");

    const name = `Calendar test – ${randomUUID().slice(0, 8)}`;
    await nameField.fill(`  ${name} `);
    await page.getByRole("button", { name: "Create a feed URL" }).click();
    await expect(feeds).toHaveCount(initial + 1);
    const mine = feeds.filter({ hasText: name });
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText(/Created \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC · never read/);
    const url = await page.getByLabel(`Your new feed URL for “${name}”`).inputValue();
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

    await page.reload();
    await expect(feeds.filter({ hasText: name })).toContainText("last read");
    await mine.getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(feeds).toHaveCount(initial);
    expect((await anonymous.get(url)).status()).toBe(404);
    await anonymous.dispose();
  });
});

test.describe("the calendar's layout", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  /** A day with events, from the API, so that the views below are not empty. */
  async function busyDay(page: Page): Promise<string> {
    const api = (await (await page.request.get("/api/calendar/events?view=agenda")).json()) as {
      events: ApiEvent[];
    };
    const counts = new Map<string, number>();
    for (const event of api.events)
      counts.set(day(Date.parse(event.at)), (counts.get(day(Date.parse(event.at))) ?? 0) + 1);
    const [busiest] = [...counts].sort((a, b) => b[1] - a[1]);
    expect(busiest, "the seed gives events in the next 60 days").toBeDefined();
    return busiest![0];
  }

  /** Every chip shows its key's whole name, unclipped, and names its HSM in its accessible name. */
  async function expectWholeNames(page: Page) {
    const chips = page.locator("a[data-kind]");
    expect(await chips.count()).toBeGreaterThan(0);
    const problems = await chips.evaluateAll((links) =>
      links.flatMap((link) => {
        const [, , hsm, name] = new URL((link as HTMLAnchorElement).href).pathname
          .split("/")
          .map(decodeURIComponent);
        const shown = link.querySelector("[data-part=key-name]");
        const clipped =
          link.scrollWidth > link.clientWidth + 1 ||
          link.scrollHeight > link.clientHeight + 1 ||
          getComputedStyle(link).textOverflow === "ellipsis";
        return shown?.textContent === name && !clipped && link.textContent?.includes(hsm!)
          ? []
          : [`${hsm}/${name}: shows "${shown?.textContent}"${clipped ? ", clipped" : ""}`];
      }),
    );
    expect(problems).toEqual([]);
  }

  test("chips show the whole key name, and the HSM in the week and agenda views", async ({
    page,
    visit,
  }) => {
    // Three pages, each checked with axe, at two widths.
    test.slow();
    const date = await busyDay(page);
    for (const view of ["month", "week", "agenda"]) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await visit(`/calendar?view=${view}&date=${date}`);
      await expectWholeNames(page);
      await page.setViewportSize({ width: 390, height: 900 });
      await expectWholeNames(page);
    }
    const chip = page.locator("a[data-kind]").first();
    const [, , hsm] = new URL((await chip.getAttribute("href"))!, "http://x").pathname.split("/");
    await expect(chip.locator("[data-part=hsm]")).toHaveText(hsm!);
    await expect(chip.locator("[data-part=hsm]")).toBeVisible();
  });

  test("every cut list links to the whole list", async ({ page, visit }) => {
    // Six pages, each checked with axe: on a busy two-core machine each takes up to 20 s.
    test.setTimeout(180_000);
    await visit("/calendar");
    const health = page.getByRole("region", { name: "Rotation health" });
    const cut = await health
      .locator("section")
      .filter({ hasText: /and \d+ more/ })
      .evaluateAll((sections) =>
        sections.map((section) => ({
          id: section.id,
          total: Number(/\((\d+)\)/.exec(section.querySelector("h3")!.textContent)![1]),
          href: section.querySelector<HTMLAnchorElement>("p a")!.getAttribute("href")!,
        })),
      );
    expect(cut.length, "the seed has long health lists").toBeGreaterThan(0);
    for (const { id, total, href } of cut) {
      expect(href).toContain(`health=${id.replace("health-", "")}`);
      await visit(href);
      const section = page.locator(`section#${id}`);
      await expect(section.getByRole("listitem")).toHaveCount(total);
      await expect(section.getByText(/and \d+ more/)).toHaveCount(0);
    }
    const last = page.locator(`section#${cut.at(-1)!.id}`);
    await last.getByRole("link", { name: /Show fewer/ }).click();
    await expect(page).not.toHaveURL(/health=/);
    await expect(last.getByRole("listitem")).toHaveCount(8);
    await expect(last.getByRole("link", { name: /list all/ })).toBeVisible();

    // A month cell shows three events and links to its week, which lists ten a day.
    const date = await busyDay(page);
    await visit(`/calendar?view=month&date=${date}`);
    const cell = page.locator(`td[data-day="${date}"]`);
    const events = Number(/: (\d+) events?/.exec((await cell.getAttribute("aria-label"))!)![1]);
    expect(events, "the busiest day has more events than a month cell shows").toBeGreaterThan(3);
    await expect(cell.locator("a[data-kind]")).toHaveCount(3);
    await cell.getByRole("link", { name: `+${events - 3} more` }).click();
    await expect(page).toHaveURL(/view=week/);
    const week = page.locator(`td[data-day="${date}"]`);
    await expect(week.locator("a[data-kind]")).toHaveCount(Math.min(events, 10));
    await expect(week.getByText(/more events?: filter by HSM/)).toHaveCount(events > 10 ? 1 : 0);
  });

  test("no view scrolls sideways at 1280 or 390 pixels", async ({ page, visit }) => {
    // Four pages, each checked with axe, at two widths: up to 20 s each on a busy machine.
    test.setTimeout(180_000);
    const date = await busyDay(page);
    for (const path of [
      `/calendar?view=month&date=${date}`,
      `/calendar?view=week&date=${date}`,
      `/calendar?view=agenda&date=${date}`,
      "/calendar?health=no-policy",
    ]) {
      await page.setViewportSize({ width: 390, height: 900 });
      await visit(path);
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        const { scrollWidth, clientWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
        }));
        expect(scrollWidth, `${path} at ${width} px`).toBeLessThanOrEqual(clientWidth);
      }
    }
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

  test("must name a feed: a missing, blank or long name is a 422 problem", async ({
    page,
    stack,
  }) => {
    const origin = new URL(stack.portal.url).origin;
    for (const [data, detail] of [
      [{}, /name \(Give the feed a name\.\)/],
      [{ name: "   " }, /name \(Give the feed a name\.\)/],
      [{ name: "x".repeat(81) }, /at most 80 characters/],
    ] as const) {
      const response = await page.request.post("/api/calendar/feeds", {
        headers: { origin },
        data,
      });
      expect(response.status()).toBe(422);
      expect(response.headers()["content-type"]).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as { detail: string }).detail).toMatch(detail);
    }
  });

  test("cannot hold more than ten live feeds", async ({ page, stack }) => {
    const origin = new URL(stack.portal.url).origin;
    const made: string[] = [];
    const create = () =>
      page.request.post("/api/calendar/feeds", {
        headers: { origin },
        data: { name: `Limit test ${made.length + 1}` },
      });
    let response = await create();
    while (response.status() === 201) {
      const feed = (await response.json()) as { id: string; name: string; url: string };
      expect(feed.name).toBe(`Limit test ${made.length + 1}`);
      made.push(feed.id);
      response = await create();
    }
    expect(response.status()).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/10 calendar feeds/);
    for (const id of made)
      expect(
        (await page.request.delete(`/api/calendar/feeds/${id}`, { headers: { origin } })).status(),
      ).toBe(204);
  });
});
