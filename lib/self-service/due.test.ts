import { describe, expect, it } from "vitest";

import { dueItems, type DueKey } from "@/lib/self-service/due";

const NOW = Date.UTC(2026, 11, 4);
const DAY = 86_400_000;
const key = (name: string, expiresIn: number | null, rotatesIn: number | null): DueKey => ({
  hsm: "keyward-weu",
  name,
  expiresAt: expiresIn === null ? null : NOW + expiresIn * DAY,
  nextRotationAt: rotatesIn === null ? null : NOW + rotatesIn * DAY,
});

describe("what is due on a team's keys", () => {
  it.each<[string, DueKey, string[]]>([
    ["nothing for a key far from both", key("a", 90, 60), []],
    ["an expiry within 30 days", key("a", 10, null), ["expires a +10d"]],
    ["an expiry on the window's last day", key("a", 30, null), ["expires a +30d"]],
    ["no expiry a day past the window", key("a", 31, null), []],
    ["a key that has expired", key("a", -2, null), ["expired a -2d"]],
    ["a rotation within 30 days", key("a", null, 5), ["rotation a +5d"]],
    ["no overdue rotation (the HSM rotates it)", key("a", null, -1), []],
    ["both, soonest first", key("a", 20, 3), ["rotation a +3d", "expires a +20d"]],
  ])("%s", (_, input, expected) => {
    expect(
      dueItems([input], NOW).map(
        (d) => `${d.what} ${d.name} ${d.at >= NOW ? "+" : ""}${Math.round((d.at - NOW) / DAY)}d`,
      ),
    ).toEqual(expected);
  });

  it("orders several keys by when", () => {
    expect(dueItems([key("b", 7, null), key("a", null, 2)], NOW).map((d) => d.name)).toEqual([
      "a",
      "b",
    ]);
  });
});
