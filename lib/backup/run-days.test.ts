import { describe, expect, it } from "vitest";

import { runDayCounts, runDays, type DayRun } from "@/lib/backup/run-days";
import type { BackupRunState } from "@/lib/db/schema/backup/table";

const NOW = Date.parse("2026-12-03T08:00:00Z");
const at = (iso: string) => Date.parse(iso);
const run = (state: BackupRunState, time: string, missed = false): DayRun =>
  missed
    ? { state, startedAt: null, scheduledFor: at(time), createdAt: NOW }
    : { state, startedAt: at(time), scheduledFor: null, createdAt: at(time) };

describe("runDays", () => {
  it("has one day per day, oldest first, ending today", () => {
    const days = runDays([], NOW, 30);
    expect(days).toHaveLength(30);
    expect(days[0]!.day).toBe("2026-11-04");
    expect(days.at(-1)!.day).toBe("2026-12-03");
    expect(days.at(-1)!.label).toBe("3 Dec: no backup");
    expect(days.every((d) => d.state === "none")).toBe(true);
  });

  it.each<[string, DayRun[], string, string]>([
    ["one good backup", [run("succeeded", "2026-12-02T02:00:00Z")], "good", "2 Dec: 1 good backup"],
    [
      "good wins over failed",
      [run("failed", "2026-12-02T02:00:00Z"), run("succeeded", "2026-12-02T03:00:00Z")],
      "good",
      "2 Dec: 1 good backup, 1 failed",
    ],
    [
      "failed and interrupted only",
      [run("failed", "2026-12-02T02:00:00Z"), run("interrupted", "2026-12-02T23:59:59Z")],
      "failed",
      "2 Dec: 2 failed",
    ],
    [
      "a missed time, by when it was due",
      [run("missed", "2026-12-02T01:00:00Z", true)],
      "missed",
      "2 Dec: 1 missed",
    ],
    [
      "failed wins over missed",
      [run("missed", "2026-12-02T01:00:00Z", true), run("failed", "2026-12-02T02:00:00Z")],
      "failed",
      "2 Dec: 1 failed, 1 missed",
    ],
    ["still running", [run("running", "2026-12-02T02:00:00Z")], "running", "2 Dec: 1 running"],
    [
      "two good backups",
      [run("succeeded", "2026-12-02T00:00:00Z"), run("succeeded", "2026-12-02T12:00:00Z")],
      "good",
      "2 Dec: 2 good backups",
    ],
  ])("%s", (_, runs, state, label) => {
    const day = runDays(runs, NOW).find((d) => d.day === "2026-12-02")!;
    expect(day.state).toBe(state);
    expect(day.label).toBe(label);
  });

  it("leaves out runs before the first day and after today", () => {
    const days = runDays(
      [run("succeeded", "2026-11-03T23:59:59Z"), run("succeeded", "2026-12-04T00:00:00Z")],
      NOW,
    );
    expect(days.every((d) => d.state === "none")).toBe(true);
  });

  it("counts a run at midnight UTC on its own day", () => {
    const days = runDays([run("succeeded", "2026-11-04T00:00:00Z")], NOW);
    expect(days[0]!.state).toBe("good");
  });
});

describe("runDayCounts", () => {
  it.each<[string, DayRun[], [string, number, number, number, number][]]>([
    ["no runs: every day counts zero", [], [["2026-12-02", 0, 0, 0, 0]]],
    [
      "each outcome counted, interrupted with failed, on the day it started or was due",
      [
        run("succeeded", "2026-12-02T00:00:00Z"),
        run("succeeded", "2026-12-02T12:00:00Z"),
        run("failed", "2026-12-02T02:00:00Z"),
        run("interrupted", "2026-12-02T23:59:59Z"),
        run("missed", "2026-12-02T01:00:00Z", true),
        run("running", "2026-12-02T03:00:00Z"),
        run("missed", "2026-12-01T23:00:00Z", true),
      ],
      [["2026-12-02", 2, 2, 1, 1]],
    ],
    [
      "runs outside the days left out",
      [run("succeeded", "2026-11-03T23:59:59Z"), run("failed", "2026-12-04T00:00:00Z")],
      [
        ["2026-11-04", 0, 0, 0, 0],
        ["2026-12-03", 0, 0, 0, 0],
      ],
    ],
  ])("%s", (_, runs, expected) => {
    const days = runDayCounts(runs, NOW, 30);
    expect(days).toHaveLength(30);
    for (const [day, good, failed, missed, running] of expected)
      expect(days.find((d) => d.day === day)).toEqual({
        day,
        start: at(`${day}T00:00:00Z`),
        good,
        failed,
        missed,
        running,
      });
  });
});
