import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  calendarDays,
  calendarEvents,
  EVENT_KINDS,
  type CalendarEvent,
  type CalendarKey,
} from "@/lib/calendar/events";
import { rotationPolicy } from "@/lib/rotation/testing";

const DAY_MS = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const window = { from: at("2026-03-01T00:00:00Z"), to: at("2026-04-06T00:00:00Z") };

/** What calendarDays must equal: calendarEvents grouped by UTC day, each list cut. */
function groupedAndCut(events: readonly CalendarEvent[], shown: number) {
  const days = new Map<number, { total: number; events: CalendarEvent[] }>();
  for (const event of events) {
    const day = Math.floor(event.at / DAY_MS) * DAY_MS;
    const entry = days.get(day) ?? { total: 0, events: [] };
    entry.total += 1;
    if (entry.events.length < shown) entry.events.push(event);
    days.set(day, entry);
  }
  return days;
}

// Few names and few creation times, so that many events fall at the same time with equal names.
const keyArbitrary: fc.Arbitrary<CalendarKey> = fc.record({
  hsm: fc.constantFrom("hsm-a", "hsm-b"),
  name: fc.constantFrom("alpha", "Alpha", "beta", "émile", "zeta-02", "zeta-10"),
  owner: fc.constant(null),
  createdAt: fc
    .integer({ min: -400, max: 30 })
    .map((days) => at("2026-03-01T09:00:00Z") + days * DAY_MS),
  expiresAt: fc.option(
    fc.integer({ min: 0, max: 60 }).map((days) => at("2026-03-01T12:00:00Z") + days * DAY_MS),
  ),
  policy: fc.option(
    fc.constantFrom(
      rotationPolicy({ timeAfterCreate: "P30D" }, "P60D"),
      rotationPolicy({ timeBeforeExpiry: "P7D" }, "P40D"),
      rotationPolicy({ timeAfterCreate: "P1M" }),
      rotationPolicy(null, "P90D"),
    ),
  ),
});

describe("calendarDays", () => {
  it("equals calendarEvents grouped by day and cut, for any keys, kinds and cut", () => {
    fc.assert(
      fc.property(
        fc.array(keyArbitrary, { maxLength: 40 }),
        fc.option(fc.subarray([...EVENT_KINDS], { minLength: 1 })),
        fc.constantFrom(1, 3, 5, Number.POSITIVE_INFINITY),
        (keys, kinds, shown) => {
          const kindSet = kinds ? new Set(kinds) : undefined;
          const events = calendarEvents(keys, window, [30, 7, 1], kindSet);
          const { days, counts } = calendarDays(keys, window, [30, 7, 1], kindSet, shown);
          expect(days).toEqual(groupedAndCut(events, shown));
          for (const kind of EVENT_KINDS)
            expect(counts[kind]).toBe(events.filter((e) => e.kind === kind).length);
        },
      ),
      { numRuns: 500, seed: 20261205 },
    );
  });

  it.each([
    [1, ["alpha", "Alpha"].slice(0, 1)],
    [2, ["alpha", "Alpha"]],
    [3, ["alpha", "Alpha", "beta"]],
  ])("keeps a day's first %i events by time, then name", (shown, names) => {
    const noon = at("2026-03-10T12:00:00Z");
    const expiring = (name: string, expiresAt: number): CalendarKey => ({
      hsm: "hsm-a",
      name,
      owner: null,
      createdAt: at("2026-01-01T00:00:00Z"),
      expiresAt,
      policy: null,
    });
    const keys = [
      expiring("beta", noon),
      expiring("zeta", noon + 1),
      expiring("Alpha", noon),
      expiring("alpha", noon),
    ];
    const day = calendarDays(keys, window, [], undefined, shown).days.get(
      at("2026-03-10T00:00:00Z"),
    );
    expect(day?.total).toBe(4);
    expect(day?.events.map((e) => e.name)).toEqual(names);
  });
});
