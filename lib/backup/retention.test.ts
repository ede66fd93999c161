import { describe, expect, it } from "vitest";

import { backupsToDelete, type Retention } from "@/lib/backup/retention";

const NOW = Date.parse("2027-06-30T12:00:00Z");
const DAY = 86_400_000;
/** Backups made 0, 1, 2 … days ago, named by their age in days. */
const daily = (count: number) =>
  Array.from({ length: count }, (_, age) => ({ id: `d${age}`, finishedAt: NOW - age * DAY - 1 }));

describe("backupsToDelete", () => {
  it.each<[string, Retention, number, string[], string[]]>([
    ["no rule keeps everything", {}, 10, [], []],
    ["the last 3", { keepLast: 3 }, 6, [], ["d5", "d4", "d3"]],
    ["younger than 2 days", { keepDays: 2 }, 5, [], ["d4", "d3", "d2"]],
    [
      "either rule keeps: last 1 or younger than 3 days",
      { keepLast: 1, keepDays: 3 },
      5,
      [],
      ["d4", "d3"],
    ],
    [
      "either rule keeps: last 4 or younger than 1 day",
      { keepLast: 4, keepDays: 1 },
      6,
      [],
      ["d5", "d4"],
    ],
    ["the newest good backup stays even at keepLast 0", { keepLast: 0 }, 3, [], ["d2", "d1"]],
    ["the newest stays even when older than keepDays", { keepDays: 1 }, 1, [], []],
    ["a folder a pending restore names stays", { keepLast: 1 }, 4, ["d2"], ["d3", "d1"]],
    ["fewer backups than the rule keeps", { keepLast: 7 }, 3, [], []],
  ])("%s", (_, retention, count, protectedIds, deleted) =>
    expect(
      backupsToDelete(daily(count), retention, NOW, new Set(protectedIds)).map((b) => b.id),
    ).toEqual(deleted),
  );

  it("reads the backups in any order", () => {
    const shuffled = [...daily(5)].reverse();
    expect(backupsToDelete(shuffled, { keepLast: 2 }, NOW).map((b) => b.id)).toEqual([
      "d4",
      "d3",
      "d2",
    ]);
  });
});
