import { describe, expect, it } from "vitest";

import {
  describeSchedule,
  dueRuns,
  MISSED_LISTED,
  nextRuns,
  scheduleProblem,
} from "@/lib/backup/schedule";

const at = (iso: string) => Date.parse(iso);
const iso = (times: number[]) => times.map((t) => new Date(t).toISOString());

describe("scheduleProblem", () => {
  it.each([
    [{ cron: "0 2 * * *", timeZone: "Europe/Berlin" }, null],
    [{ cron: "30 1 * * 1-5", timeZone: "UTC" }, null],
    [{ cron: "*/15 * * * *", timeZone: "America/New_York" }, null],
    [
      { cron: "61 * * * *", timeZone: "UTC" },
      /^Not a cron expression: Invalid value for minute: 61\.$/,
    ],
    [{ cron: "0 2 * *", timeZone: "UTC" }, /five fields/],
    [{ cron: "0 0 2 * * *", timeZone: "UTC" }, /five fields/],
    [{ cron: "0 2 30 2 *", timeZone: "UTC" }, /never runs|Not a cron expression/],
    [
      { cron: "0 2 * * *", timeZone: "Mars/Base" },
      "Mars/Base is not an IANA time zone such as Europe/Berlin.",
    ],
    [{ cron: "0 2 * * *", timeZone: "CET-ish" }, /is not an IANA time zone/],
  ])("%j → %s", (schedule, problem) => {
    const found = scheduleProblem(schedule);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});

describe("nextRuns across daylight-saving changes in Europe/Berlin", () => {
  it.each([
    [
      "spring: 02:00 does not exist on 28 March 2027, so that day runs at 03:00 CEST",
      { cron: "0 2 * * *", timeZone: "Europe/Berlin" },
      "2027-03-26T12:00:00Z",
      ["2027-03-27T01:00:00.000Z", "2027-03-28T01:00:00.000Z", "2027-03-29T00:00:00.000Z"],
    ],
    [
      "autumn: 02:30 happens twice on 31 October 2027 and runs once, at the first",
      { cron: "30 2 * * *", timeZone: "Europe/Berlin" },
      "2027-10-29T12:00:00Z",
      ["2027-10-30T00:30:00.000Z", "2027-10-31T00:30:00.000Z", "2027-11-01T01:30:00.000Z"],
    ],
    [
      "UTC knows no change",
      { cron: "0 2 * * *", timeZone: "UTC" },
      "2027-03-26T12:00:00Z",
      ["2027-03-27T02:00:00.000Z", "2027-03-28T02:00:00.000Z", "2027-03-29T02:00:00.000Z"],
    ],
  ])("%s", (_, schedule, from, expected) =>
    expect(iso(nextRuns(schedule, at(from), 3))).toEqual(expected),
  );
});

describe("describeSchedule", () => {
  it.each([
    [{ cron: "0 2 * * *", timeZone: "Europe/Berlin" }, "At 02:00, every day (Europe/Berlin)"],
    [{ cron: "30 1 * * 1-5", timeZone: "UTC" }, "At 01:30, Monday through Friday (UTC)"],
  ])("%j → %s", (schedule, words) => expect(describeSchedule(schedule)).toBe(words));
});

describe("dueRuns", () => {
  const daily = { cron: "0 2 * * *", timeZone: "UTC" };
  it.each([
    ["nothing due yet", "2027-01-01T01:00:00Z", "2027-01-01T01:59:00Z", null, []],
    ["one run due", "2027-01-01T01:00:00Z", "2027-01-01T02:00:00Z", "2027-01-01T02:00:00.000Z", []],
    [
      "down for three days: the latest runs once, two are missed",
      "2027-01-01T02:00:00Z",
      "2027-01-04T09:00:00Z",
      "2027-01-04T02:00:00.000Z",
      ["2027-01-02T02:00:00.000Z", "2027-01-03T02:00:00.000Z"],
    ],
  ])("%s", (_, since, now, runNow, missed) => {
    const due = dueRuns(daily, at(since), at(now));
    expect(due.runNow === null ? null : new Date(due.runNow).toISOString()).toBe(runNow);
    expect(iso(due.missed)).toEqual(missed);
    expect(due.moreMissed).toBe(false);
  });

  it("lists the latest hundred missed runs and says there were more", () => {
    const hourly = { cron: "0 * * * *", timeZone: "UTC" };
    const due = dueRuns(hourly, at("2027-01-01T00:00:00Z"), at("2027-02-01T00:00:00Z"));
    expect(due.runNow).toBe(at("2027-02-01T00:00:00Z"));
    expect(due.missed).toHaveLength(MISSED_LISTED);
    expect(iso(due.missed.slice(-2))).toEqual([
      "2027-01-31T22:00:00.000Z",
      "2027-01-31T23:00:00.000Z",
    ]);
    expect(due.moreMissed).toBe(true);
  });
});
