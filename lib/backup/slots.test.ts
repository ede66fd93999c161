import { describe, expect, it } from "vitest";

import { owedSlots, type OwedSchedule } from "@/lib/backup/slots";

const at = (iso: string) => Date.parse(iso);
const daily: OwedSchedule = {
  cron: "0 2 * * *",
  timeZone: "UTC",
  paused: false,
  slotsFrom: at("2026-03-01T10:00:00Z"),
};

describe("owedSlots", () => {
  it.each([
    ["nothing due yet after creation", daily, null, "2026-03-02T01:59:00Z", null, []],
    [
      "the first time after creation",
      daily,
      null,
      "2026-03-02T02:00:00Z",
      "2026-03-02T02:00:00Z",
      [],
    ],
    [
      "nothing before creation, however far back the expression goes",
      daily,
      null,
      "2026-03-02T03:00:00Z",
      "2026-03-02T02:00:00Z",
      [],
    ],
    [
      "a recorded time is not owed again",
      daily,
      "2026-03-02T02:00:00Z",
      "2026-03-02T23:00:00Z",
      null,
      [],
    ],
    [
      "three days down: the latest runs, the two before were missed",
      daily,
      "2026-03-02T02:00:00Z",
      "2026-03-05T09:00:00Z",
      "2026-03-05T02:00:00Z",
      ["2026-03-03T02:00:00Z", "2026-03-04T02:00:00Z"],
    ],
    ["paused: nothing owed", { ...daily, paused: true }, null, "2026-03-05T09:00:00Z", null, []],
    [
      "resumed (slotsFrom moved up): the paused days are not missed",
      { ...daily, slotsFrom: at("2026-03-04T12:00:00Z") },
      "2026-03-02T02:00:00Z",
      "2026-03-05T09:00:00Z",
      "2026-03-05T02:00:00Z",
      [],
    ],
  ])("%s", (_, schedule, last, now, runNow, missed) => {
    const owed = owedSlots(schedule, last === null ? null : at(last), at(now));
    expect(owed.runNow === null ? null : new Date(owed.runNow).toISOString()).toBe(
      runNow === null ? null : new Date(at(runNow)).toISOString(),
    );
    expect(owed.missed.map((t) => new Date(t).toISOString())).toEqual(
      missed.map((t) => new Date(at(t)).toISOString()),
    );
    expect(owed.moreMissed).toBe(false);
  });

  it("lists the latest hundred missed times and says that more were missed", () => {
    const owed = owedSlots({ ...daily, cron: "0 * * * *" }, null, at("2026-03-20T00:00:00Z"));
    expect(owed.missed).toHaveLength(100);
    expect(owed.moreMissed).toBe(true);
    expect(new Date(owed.runNow!).toISOString()).toBe("2026-03-20T00:00:00.000Z");
  });
});
