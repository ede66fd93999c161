import { describe, expect, it } from "vitest";

import {
  retentionInWords,
  scheduleChangeInWords,
  scheduleDeleteItem,
  scheduleUpsertItem,
  type ScheduleState,
} from "@/lib/backup/schedule-items";
import { containerUrlProblem } from "@/lib/storage/container-url";

const CONTAINER = "https://contoso.blob.core.windows.net/hsm-backups";
const good = {
  name: "nightly",
  cron: "0 2 * * *",
  timeZone: "Europe/Berlin",
  container: CONTAINER,
  auth: "sas",
  retention: { keepLast: 14, maxAgeDays: 30 },
};

/** Each refused field with its message, as filing reports them. */
function problems(item: unknown): Record<string, string> {
  const parsed = scheduleUpsertItem.safeParse(item);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("/"), i.message]));
}

describe("backup-schedule.upsert items", () => {
  it("takes a good item, trims a trailing slash and is not paused unless it says so", () => {
    expect(scheduleUpsertItem.parse({ ...good, container: `${CONTAINER}/` })).toEqual({
      ...good,
      paused: false,
    });
    expect(scheduleUpsertItem.parse({ ...good, retention: {}, paused: true }).paused).toBe(true);
  });

  it.each([
    [{ name: "Nightly" }, "name", /slug/],
    [{ name: "-nightly" }, "name", /slug/],
    [{ name: "a".repeat(64) }, "name", /63/],
    [{ cron: "0 0 2 * * *" }, "cron", /five fields/],
    [{ cron: "61 2 * * *" }, "cron", /^Not a cron expression: Invalid value for minute: 61\.$/],
    [{ cron: "" }, "cron", /five fields/],
    [{ timeZone: "Europe/Atlantis" }, "timeZone", /is not an IANA time zone/],
    [{ timeZone: "CET-ish" }, "timeZone", /is not an IANA time zone/],
    [{ container: "http://contoso.blob.core.windows.net/hsm-backups" }, "container", /https/],
    [{ container: `${CONTAINER}?sv=2024&sig=abc` }, "container", /without a query/],
    [{ container: "https://contoso.blob.core.windows.net/" }, "container", /one container/],
    [{ container: "https://contoso.blob.core.windows.net/a/b" }, "container", /one container/],
    [{ container: "https://example.com/hsm-backups" }, "container", /Blob Storage endpoint/],
    [{ container: "https://contoso.blob.core.windows.net/Hsm_Backups" }, "container", /3 to 63/],
    [{ container: "not a url" }, "container", /URL of a blob container/],
    [{ auth: "account-key" }, "auth", /sas|managed-identity/],
    [{ retention: { keepLast: 0 } }, "retention/keepLast", /1|too small/],
    [{ retention: { keepLast: 1001 } }, "retention/keepLast", /1000|too big/],
    [{ retention: { maxAgeDays: 3651 } }, "retention/maxAgeDays", /3650|too big/],
    [{ retention: { maxAgeDays: 1.5 } }, "retention/maxAgeDays", /expected int/],
    [{ retention: { keepDays: 3 } }, "retention", /keepDays/],
    [{ extra: true }, "", /extra/],
    [{ cron: null }, "cron", /expected string/],
    [{ timeZone: 5 }, "timeZone", /expected string/],
  ])("%j is refused at %s", (change, field, message) => {
    const found = problems({ ...good, ...change });
    expect(Object.keys(found)).toEqual([field]);
    expect(found[field]).toMatch(message);
  });

  it("names a bad zone and a bad expression together", () => {
    expect(
      Object.keys(problems({ ...good, cron: "0 2 * *", timeZone: "Mars/Base" })).sort(),
    ).toEqual(["cron", "timeZone"]);
  });

  it("takes the local Azurite's path-style http URLs, and no other http", () => {
    expect(containerUrlProblem("http://127.0.0.1:10000/devstoreaccount1/nightly")).toBeNull();
    expect(containerUrlProblem("http://127.0.0.1:10000/nightly")).toMatch(/path-style/);
    expect(containerUrlProblem("http://10.0.0.4:10000/devstoreaccount1/nightly")).toMatch(/https/);
  });

  it("deletes by a slug name only", () => {
    expect(scheduleDeleteItem.safeParse({ name: "nightly" }).success).toBe(true);
    expect(scheduleDeleteItem.safeParse({ name: "nightly", cron: "0 2 * * *" }).success).toBe(
      false,
    );
  });
});

const state: ScheduleState = {
  cron: "0 2 * * *",
  timeZone: "Europe/Berlin",
  container: CONTAINER,
  auth: "sas",
  retention: { keepLast: 14, maxAgeDays: 30 },
  paused: false,
};

describe("schedule requests in words", () => {
  it.each([
    [{ keepLast: 14, maxAgeDays: 30 }, "keep the last 14 and everything younger than 30 days"],
    [{ keepLast: 1, maxAgeDays: null }, "keep the last one"],
    [{ keepLast: null, maxAgeDays: 1 }, "keep everything younger than 1 day"],
    [{ keepLast: null, maxAgeDays: null }, "keep every backup"],
  ])("retention %j → %s", (retention, words) => expect(retentionInWords(retention)).toBe(words));

  it("says a new schedule, a paused one, a change and a deletion", () => {
    expect(scheduleChangeInWords("backup-schedule.upsert", good, null)).toEqual([
      `new schedule nightly: back up at 02:00, every day (Europe/Berlin) into ${CONTAINER} with a SAS minted for each run, keep the last 14 and everything younger than 30 days`,
    ]);
    expect(
      scheduleChangeInWords(
        "backup-schedule.upsert",
        { ...good, auth: "managed-identity", retention: {}, paused: true },
        null,
      ),
    ).toEqual([
      `new schedule nightly: back up at 02:00, every day (Europe/Berlin) into ${CONTAINER} with the HSM's managed identity, keep every backup; paused: no backups run until it is resumed`,
    ]);
    expect(
      scheduleChangeInWords("backup-schedule.upsert", { ...good, cron: "30 1 * * 1-5" }, state),
    ).toEqual([
      `change schedule nightly: back up at 02:00, every day (Europe/Berlin) into ${CONTAINER} with a SAS minted for each run, keep the last 14 and everything younger than 30 days → back up at 01:30, Monday through Friday (Europe/Berlin) into ${CONTAINER} with a SAS minted for each run, keep the last 14 and everything younger than 30 days`,
    ]);
    expect(scheduleChangeInWords("backup-schedule.upsert", good, state)[0]).toMatch(
      /^schedule nightly: .* \(unchanged\)$/,
    );
    expect(scheduleChangeInWords("backup-schedule.delete", { name: "nightly" }, state)).toEqual([
      `delete schedule nightly, which would back up at 02:00, every day (Europe/Berlin) into ${CONTAINER} with a SAS minted for each run, keep the last 14 and everything younger than 30 days; its backups stay in the container`,
    ]);
  });
});
