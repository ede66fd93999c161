import ICAL from "ical.js";
import { describe, expect, it } from "vitest";

import { calendarEvents, eventAction, type CalendarKey } from "@/lib/calendar/events";
import { toICalendar } from "@/lib/calendar/ics";
import { calendarRange, isoDay } from "@/lib/calendar/range";
import { rotationPolicy } from "@/lib/rotation/testing";

const at = (iso: string) => Date.parse(iso);

const rotating: CalendarKey = {
  hsm: "hsm-a",
  name: "payments-signing",
  owner: null,
  createdAt: at("2026-01-10T09:30:00Z"),
  expiresAt: null,
  policy: rotationPolicy({ timeAfterCreate: "P90D" }, "P1Y"),
};
const expiring: CalendarKey = {
  hsm: "hsm-b",
  name: 'legacy, "old"; key',
  owner: null,
  createdAt: at("2025-01-01T00:00:00Z"),
  expiresAt: at("2026-03-15T12:00:00Z"),
  policy: null,
};

describe("calendarRange", () => {
  it.each([
    ["month", "2026-02-14", "2026-01-26", "2026-03-02", 35, "February 2026"],
    ["month", "2024-02-29", "2024-01-29", "2024-03-04", 35, "February 2024"],
    ["month", "2026-11-29", "2026-10-26", "2026-12-07", 42, "November 2026"],
    ["week", "2026-11-29", "2026-11-23", "2026-11-30", 7, "Week of 23 Nov 2026"],
    ["agenda", "2026-12-31", "2026-12-31", "2027-03-01", 60, "31 Dec 2026 – 28 Feb 2027"],
  ] as const)("%s of %s: %s to %s", (view, date, from, to, days, label) => {
    const range = calendarRange(view, date);
    expect(isoDay(range.from)).toBe(from);
    expect(isoDay(range.to)).toBe(to);
    expect(range.days).toHaveLength(days);
    expect(range.label).toBe(label);
  });

  it("moves by a month from a month's last day", () => {
    expect(calendarRange("month", "2026-01-31")).toMatchObject({
      previous: "2025-12-01",
      next: "2026-02-01",
    });
  });
});

describe("calendarEvents", () => {
  const window = { from: at("2026-03-01T00:00:00Z"), to: at("2026-05-01T00:00:00Z") };

  it("gives rotations, expiries and the reminders before them, in time order", () => {
    const events = calendarEvents([rotating, expiring], window, [30, 7]);
    expect(events.map((e) => `${e.kind} ${isoDay(e.at)} ${e.name}`)).toEqual([
      'reminder 2026-03-08 legacy, "old"; key',
      "reminder 2026-03-11 payments-signing",
      'expiry 2026-03-15 legacy, "old"; key',
      "reminder 2026-04-03 payments-signing",
      "rotation 2026-04-10 payments-signing",
    ]);
    const reminder = events.find((e) => e.kind === "reminder" && e.name === "payments-signing")!;
    expect(reminder.title).toBe("payments-signing rotates in 30 days");
    expect(reminder.about).toEqual({
      kind: "rotation",
      at: at("2026-04-10T09:30:00Z"),
      daysBefore: 30,
    });
  });

  it("includes reminders in the window for events after it, and filters by kind", () => {
    const late = calendarEvents(
      [rotating],
      { from: at("2026-03-01T00:00:00Z"), to: at("2026-03-20T00:00:00Z") },
      [30],
    );
    expect(late.map((e) => e.kind)).toEqual(["reminder"]);
    expect(
      calendarEvents([rotating, expiring], window, [30], new Set(["expiry"])).map((e) => e.kind),
    ).toEqual(["expiry"]);
  });
});

describe("eventAction", () => {
  it.each([
    [{ kind: "rotation" as const }, "rotates"],
    [{ kind: "expiry" as const }, "expires"],
    [
      { kind: "reminder" as const, about: { kind: "expiry" as const, at: 0, daysBefore: 1 } },
      "expires in 1 day",
    ],
    [
      { kind: "reminder" as const, about: { kind: "rotation" as const, at: 0, daysBefore: 7 } },
      "rotates in 7 days",
    ],
  ])("words %j as %s", (event, expected) => {
    expect(eventAction(event)).toBe(expected);
  });
});

describe("toICalendar", () => {
  const events = calendarEvents(
    [rotating, expiring],
    { from: at("2026-01-01T00:00:00Z"), to: at("2027-01-01T00:00:00Z") },
    [7],
  );
  const text = toICalendar(events, {
    name: "Keyward",
    reminderDays: [7, 1],
    portalUrl: "https://keyward.example",
    now: at("2026-01-01T00:00:00Z"),
  });

  it("is valid iCalendar with one event per rotation and expiry, each with its alarms", () => {
    const calendar = ICAL.Component.fromString(text);
    const vevents = calendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    const expected = events.filter((e) => e.kind !== "reminder");
    expect(vevents).toHaveLength(expected.length);
    expect(vevents.map((e) => e.startDate.toJSDate().getTime())).toEqual(expected.map((e) => e.at));
    expect(vevents[0]!.summary).toBe('legacy, "old"; key expires (hsm-b)');
    expect(new Set(vevents.map((e) => e.uid)).size).toBe(vevents.length);
    const alarms = calendar.getAllSubcomponents("vevent")[0]!.getAllSubcomponents("valarm");
    expect(alarms.map((a) => a.getFirstPropertyValue("trigger")?.toString())).toEqual([
      "-P1W",
      "-P1D",
    ]);
    expect(calendar.getFirstPropertyValue("prodid")).toBe("-//Keyward//Rotation calendar//EN");
  });

  it("uses CRLF line ends and folds lines at 75 octets", () => {
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).not.toMatch(/[^\r]\n/);
  });
});
