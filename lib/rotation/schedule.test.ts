import { describe, expect, it } from "vitest";

import type { RotationTerms } from "@/lib/rotation/policy";
import { keyEvents, keyHealth, policyViolation, type KeyTimeline } from "@/lib/rotation/schedule";
import { rotationPolicy } from "@/lib/rotation/testing";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const key = (overrides: Partial<KeyTimeline>): KeyTimeline => ({
  hsm: "hsm-a",
  name: "k",
  createdAt: at("2026-01-31T10:00:00Z"),
  expiresAt: null,
  policy: null,
  ...overrides,
});

const YEAR = { from: at("2026-01-01T00:00:00Z"), to: at("2027-01-01T00:00:00Z") };

describe("keyEvents", () => {
  it.each([
    {
      name: "no policy, no expiry: nothing happens",
      key: key({}),
      window: YEAR,
      expected: [],
    },
    {
      name: "no policy with an expiry: the expiry",
      key: key({ expiresAt: at("2026-06-30T12:00:00Z") }),
      window: YEAR,
      expected: ["expiry 2026-06-30 v0"],
    },
    {
      name: "P1M after 31 January lands on month ends, not in March",
      key: key({ policy: rotationPolicy({ timeAfterCreate: "P1M" }) }),
      window: { from: YEAR.from, to: at("2026-05-01T00:00:00Z") },
      expected: ["rotation 2026-02-28 v1", "rotation 2026-03-28 v2", "rotation 2026-04-28 v3"],
    },
    {
      name: "P1Y from 29 February 2024 (leap year) is 28 February 2025",
      key: key({
        createdAt: at("2024-02-29T08:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P1Y" }),
      }),
      window: { from: at("2024-03-01T00:00:00Z"), to: at("2026-03-01T00:00:00Z") },
      expected: ["rotation 2025-02-28 v1", "rotation 2026-02-28 v2"],
    },
    {
      name: "expiry-based trigger repeats through the policy's expiryTime",
      key: key({
        createdAt: at("2026-01-01T00:00:00Z"),
        expiresAt: at("2026-04-01T00:00:00Z"),
        policy: rotationPolicy({ timeBeforeExpiry: "P30D" }, "P90D"),
      }),
      window: YEAR,
      expected: [
        "rotation 2026-03-02 v1 expires 2026-05-31",
        "rotation 2026-05-01 v2 expires 2026-07-30",
        "rotation 2026-06-30 v3 expires 2026-09-28",
        "rotation 2026-08-29 v4 expires 2026-11-27",
        "rotation 2026-10-28 v5 expires 2027-01-26",
        "rotation 2026-12-27 v6 expires 2027-03-27",
      ],
    },
    {
      name: "expiry-based trigger without expiryTime: the new version never expires, so it stops",
      key: key({
        createdAt: at("2026-01-01T00:00:00Z"),
        expiresAt: at("2026-04-01T00:00:00Z"),
        policy: rotationPolicy({ timeBeforeExpiry: "P30D" }),
      }),
      window: YEAR,
      expected: ["rotation 2026-03-02 v1 expires never"],
    },
    {
      name: "the current version expires before the policy rotates it",
      key: key({
        createdAt: at("2026-01-01T00:00:00Z"),
        expiresAt: at("2026-02-15T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P90D" }),
      }),
      window: YEAR,
      expected: ["expiry 2026-02-15 v0"],
    },
    {
      name: "a new version from a time-based rotation gets the policy's expiry, later than the next rotation",
      key: key({
        createdAt: at("2026-01-01T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P180D" }, "P1Y"),
      }),
      window: YEAR,
      expected: [
        "rotation 2026-06-30 v1 expires 2027-06-30",
        "rotation 2026-12-27 v2 expires 2027-12-27",
      ],
    },
    {
      name: "rotation every 28 days over 12 months: 13 rotations",
      key: key({
        createdAt: at("2025-12-20T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P28D" }),
      }),
      window: YEAR,
      expectedCount: 13,
    },
    {
      name: "events before the window are left out, the schedule still counts from the version's creation",
      key: key({
        createdAt: at("2025-10-01T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P60D" }),
      }),
      window: YEAR,
      firstEvent: "rotation 2026-01-29 v2",
    },
  ])("$name", ({ key: timeline, window, expected, expectedCount, firstEvent }) => {
    const events = keyEvents(timeline, window).map(
      (e) =>
        `${e.kind} ${iso(e.at)} v${e.version}` +
        (e.kind === "rotation" &&
        e.newVersionExpiresAt !== undefined &&
        (timeline.policy?.expiresIn || timeline.policy?.lifetimeActions[0]?.timeBeforeExpiry)
          ? ` expires ${e.newVersionExpiresAt === null ? "never" : iso(e.newVersionExpiresAt)}`
          : ""),
    );
    if (expected) expect(events).toEqual(expected);
    if (expectedCount !== undefined) expect(events).toHaveLength(expectedCount);
    if (firstEvent) expect(events[0]).toBe(firstEvent);
  });
});

describe("keyHealth", () => {
  const now = at("2026-06-01T00:00:00Z");
  it.each([
    { name: "no policy and no expiry", key: key({}), kinds: ["no-policy", "no-expiry"] },
    {
      name: "a policy without a rotate action counts as no rotation",
      key: key({ expiresAt: at("2027-01-01T00:00:00Z"), policy: rotationPolicy(null, "P1Y") }),
      kinds: ["no-policy"],
    },
    {
      name: "expired",
      key: key({
        expiresAt: at("2026-05-01T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P1Y" }),
      }),
      kinds: ["expired"],
    },
    {
      name: "expires before its next rotation",
      key: key({
        createdAt: at("2026-05-01T00:00:00Z"),
        expiresAt: at("2026-07-01T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P90D" }),
      }),
      kinds: ["expires-before-rotation"],
    },
    {
      name: "rotation overdue",
      key: key({
        createdAt: at("2026-01-01T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P90D" }),
      }),
      kinds: ["no-expiry", "rotation-overdue"],
    },
    {
      name: "healthy",
      key: key({
        createdAt: at("2026-05-01T00:00:00Z"),
        expiresAt: at("2027-05-01T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P90D" }, "P1Y"),
      }),
      kinds: [],
    },
    {
      name: "a policy that breaks Managed HSM's rules",
      key: key({
        createdAt: at("2026-05-20T00:00:00Z"),
        expiresAt: at("2027-05-01T00:00:00Z"),
        policy: rotationPolicy({ timeAfterCreate: "P14D" }, "P1Y"),
      }),
      kinds: ["invalid-policy"],
    },
  ])("$name", ({ key: timeline, kinds }) => {
    expect(keyHealth(timeline, now).map((f) => f.kind)).toEqual(kinds);
  });
});

describe("policyViolation", () => {
  const from = at("2026-02-01T00:00:00Z");
  it.each([
    [rotationPolicy({ timeAfterCreate: "P28D" }), null],
    [rotationPolicy({ timeAfterCreate: "P27D" }), /more often than every 28 days/],
    [rotationPolicy(null, "P27D"), /shorter than P28D/],
    [rotationPolicy({ timeBeforeExpiry: "P30D" }, "P56D"), /less than 28 days/],
    [rotationPolicy({ timeBeforeExpiry: "P28D" }, "P56D"), null],
    [
      {
        ...rotationPolicy(null),
        lifetimeActions: [{ action: "Notify", timeAfterCreate: null, timeBeforeExpiry: "P30D" }],
      },
      /Notify/,
    ],
  ] as [RotationTerms, RegExp | null][])("%j", (input, expected) => {
    const violation = policyViolation(input, from);
    if (expected === null) expect(violation).toBeNull();
    else expect(violation).toMatch(expected);
  });
});
