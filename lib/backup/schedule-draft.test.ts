import { describe, expect, it } from "vitest";

import { buildScheduleItem, draftOf, scheduleFieldOf } from "@/lib/backup/schedule-draft";

const defaults = {
  container: "http://127.0.0.1:10000/devstoreaccount1/hsm-backups",
  timeZone: "UTC",
};

describe("schedule draft", () => {
  it("builds an upsert item from a filled-in form", () => {
    const built = buildScheduleItem({ ...draftOf(null, defaults), name: "nightly" });
    expect(built.item).toEqual({
      name: "nightly",
      cron: "0 2 * * *",
      timeZone: "UTC",
      container: defaults.container,
      auth: "sas",
      retention: { keepLast: 14, maxAgeDays: undefined },
      paused: false,
    });
  });

  it("names each bad field", () => {
    const built = buildScheduleItem({
      ...draftOf(null, defaults),
      name: "Nightly!",
      cron: "every day",
      timeZone: "Mars/Olympus",
      container: "ftp://x",
      keepLast: "0",
      maxAgeDays: "1.5",
    });
    expect(Object.keys(built.errors ?? {}).sort()).toEqual(
      ["container", "cron", "keepLast", "maxAgeDays", "name", "timeZone"].sort(),
    );
  });

  it("reads a schedule back into the form", () => {
    const draft = draftOf(
      {
        name: "nightly",
        cron: "0 2 * * *",
        timeZone: "Europe/Berlin",
        container: defaults.container,
        auth: "managed-identity",
        retention: { keepLast: null, maxAgeDays: 30 },
        paused: true,
      },
      defaults,
    );
    expect(draft).toMatchObject({ keepLast: "", maxAgeDays: "30", paused: true });
  });

  it.each([
    ["retention/keepLast", "keepLast"],
    ["retention/maxAgeDays", "maxAgeDays"],
    ["retention", "keepLast"],
    ["cron", "cron"],
    ["", null],
    ["unknown", null],
  ])("puts %s on %s", (path, field) => {
    expect(scheduleFieldOf(path)).toBe(field);
  });
});
