import { describe, expect, it } from "vitest";

import { keyRotationPolicyItem } from "@/lib/requests/item-schemas";
import {
  draftFromPolicy,
  policyFromDraft,
  previewRotations,
  type PolicyDraft,
} from "@/lib/rotation/policy-draft";
import { rotationPolicy } from "@/lib/rotation/testing";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("draftFromPolicy", () => {
  it.each([
    [
      "no policy: every 90 days, versions valid a year",
      null,
      { trigger: "after-create", every: "90", everyUnit: "D", expiresIn: "1", expiresInUnit: "Y" },
      [],
    ],
    [
      "after creation",
      rotationPolicy({ timeAfterCreate: "P90D" }, "P1Y"),
      { trigger: "after-create", every: "90", everyUnit: "D", expiresIn: "1", expiresInUnit: "Y" },
      [],
    ],
    [
      "before expiry, months",
      rotationPolicy({ timeBeforeExpiry: "P1M" }, "P18M"),
      { trigger: "before-expiry", every: "1", everyUnit: "M", expiresIn: "18", expiresInUnit: "M" },
      [],
    ],
    [
      "years and months as months",
      rotationPolicy({ timeAfterCreate: "P1Y6M" }),
      { trigger: "after-create", every: "18", everyUnit: "M", expiresIn: "", expiresInUnit: "D" },
      [],
    ],
    [
      "weeks",
      rotationPolicy({ timeAfterCreate: "P6W" }),
      { trigger: "after-create", every: "6", everyUnit: "W", expiresIn: "", expiresInUnit: "D" },
      [],
    ],
    [
      "weeks and days as days",
      rotationPolicy({ timeAfterCreate: "P4W2D" }),
      { trigger: "after-create", every: "30", everyUnit: "D", expiresIn: "", expiresInUnit: "D" },
      [],
    ],
    [
      "expiry only",
      rotationPolicy(null, "P2Y"),
      { trigger: "none", every: "90", everyUnit: "D", expiresIn: "2", expiresInUnit: "Y" },
      [],
    ],
    [
      "a duration one unit cannot show",
      rotationPolicy({ timeAfterCreate: "P1Y10D" }, "PT2000H"),
      { trigger: "after-create", every: "90", everyUnit: "D", expiresIn: "", expiresInUnit: "D" },
      ["P1Y10D", "PT2000H"],
    ],
  ])("%s", (_name, policy, draft, unshown) => {
    expect(draftFromPolicy(policy)).toEqual({ draft, unshown });
  });
});

describe("policyFromDraft", () => {
  const base: PolicyDraft = {
    trigger: "after-create",
    every: "90",
    everyUnit: "D",
    expiresIn: "1",
    expiresInUnit: "Y",
  };
  it.each([
    [
      "after creation",
      {},
      { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }], expiresIn: "P1Y" },
    ],
    [
      "before expiry",
      { trigger: "before-expiry", every: "30" },
      { lifetimeActions: [{ action: "Rotate", timeBeforeExpiry: "P30D" }], expiresIn: "P1Y" },
    ],
    [
      "no expiry",
      { expiresIn: " " },
      { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }], expiresIn: null },
    ],
    [
      "expiry only (the amount is ignored)",
      { trigger: "none", every: "x" },
      { lifetimeActions: [], expiresIn: "P1Y" },
    ],
    [
      "nothing at all (clears the policy)",
      { trigger: "none", expiresIn: "" },
      { lifetimeActions: [], expiresIn: null },
    ],
    [
      "exactly 28 days",
      { every: "4", everyUnit: "W", expiresIn: "28", expiresInUnit: "D" },
      { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P4W" }], expiresIn: "P28D" },
    ],
  ])("%s", (_name, change, policy) => {
    const result = policyFromDraft({ ...base, ...change } as PolicyDraft, NOW);
    expect(result).toEqual({ policy, errors: null });
    expect(keyRotationPolicyItem.safeParse({ key: "k", policy }).success).toBe(true);
  });

  it.each([
    ["not a number", { every: "ninety" }, { every: "Enter a whole number, 1 or more." }],
    ["zero", { every: "0" }, { every: "Enter a whole number, 1 or more." }],
    [
      "a bad expiry",
      { expiresIn: "-1" },
      { expiresIn: "Enter a whole number, 1 or more, or leave it empty." },
    ],
    [
      "before expiry needs an expiry",
      { trigger: "before-expiry", expiresIn: "" },
      { expiresIn: "Rotating before expiry needs new versions to expire." },
    ],
    [
      "rotating more often than every 28 days",
      { every: "27" },
      { every: "Managed HSM: timeAfterCreate P27D rotates more often than every 28 days." },
    ],
    [
      "an expiry under 28 days",
      { expiresIn: "3", expiresInUnit: "W" },
      { expiresIn: "Managed HSM: expiryTime P3W is shorter than P28D." },
    ],
    [
      "before expiry leaves under 28 days",
      { trigger: "before-expiry", every: "70", everyUnit: "D", expiresIn: "3", expiresInUnit: "M" },
      {
        every:
          "Managed HSM: timeBeforeExpiry P70D leaves less than 28 days of an expiryTime of P3M.",
      },
    ],
  ])("%s", (_name, change, errors) => {
    expect(policyFromDraft({ ...base, ...change } as PolicyDraft, NOW)).toEqual({
      policy: null,
      errors,
    });
  });
});

describe("previewRotations", () => {
  const every90 = {
    lifetimeActions: [{ action: "Rotate" as const, timeAfterCreate: "P90D" }],
    expiresIn: "P1Y",
  };
  it.each([
    [
      "after creation: from the current version's creation, then from each rotation",
      every90,
      { createdAt: Date.parse("2026-02-01T00:00:00Z"), expiresAt: null },
      {
        rotations: [
          "2026-05-02T00:00:00.000Z",
          "2026-07-31T00:00:00.000Z",
          "2026-10-29T00:00:00.000Z",
        ],
        dueNow: false,
        none: null,
        currentExpiresAt: null,
      },
    ],
    [
      "due already: rotates now, then counts from now",
      every90,
      { createdAt: Date.parse("2025-01-01T00:00:00Z"), expiresAt: null },
      {
        rotations: [
          "2026-03-01T12:00:00.000Z",
          "2026-05-30T12:00:00.000Z",
          "2026-08-28T12:00:00.000Z",
        ],
        dueNow: true,
        none: null,
        currentExpiresAt: null,
      },
    ],
    [
      "before expiry: the current version's expiry, then the policy's",
      {
        lifetimeActions: [{ action: "Rotate" as const, timeBeforeExpiry: "P30D" }],
        expiresIn: "P1Y",
      },
      {
        createdAt: Date.parse("2026-01-01T00:00:00Z"),
        expiresAt: Date.parse("2026-06-30T00:00:00Z"),
      },
      {
        rotations: [
          "2026-05-31T00:00:00.000Z",
          "2027-05-01T00:00:00.000Z",
          "2028-04-01T00:00:00.000Z",
        ],
        dueNow: false,
        none: null,
        currentExpiresAt: null,
      },
    ],
    [
      "before expiry, but the current version never expires",
      {
        lifetimeActions: [{ action: "Rotate" as const, timeBeforeExpiry: "P30D" }],
        expiresIn: "P1Y",
      },
      { createdAt: Date.parse("2026-01-01T00:00:00Z"), expiresAt: null },
      { rotations: [], dueNow: false, none: "current-never-expires", currentExpiresAt: null },
    ],
    [
      "the current version expires before the first rotation",
      every90,
      {
        createdAt: Date.parse("2026-02-01T00:00:00Z"),
        expiresAt: Date.parse("2026-04-01T00:00:00Z"),
      },
      {
        rotations: [],
        dueNow: false,
        none: "current-expires-first",
        currentExpiresAt: "2026-04-01T00:00:00.000Z",
      },
    ],
    [
      "no rotate action",
      { lifetimeActions: [], expiresIn: "P1Y" },
      { createdAt: Date.parse("2026-02-01T00:00:00Z"), expiresAt: null },
      { rotations: [], dueNow: false, none: "no-trigger", currentExpiresAt: null },
    ],
  ])("%s", (_name, policy, current, expected) => {
    const preview = previewRotations(policy, current, NOW, 3);
    expect({
      ...preview,
      rotations: preview.rotations.map((r) => iso(r.at)),
      currentExpiresAt: iso(preview.currentExpiresAt),
    }).toEqual(expected);
  });

  it("each rotation's version expires the policy's lifetime after it", () => {
    const [first] = previewRotations(
      every90,
      { createdAt: Date.parse("2026-02-01T00:00:00Z"), expiresAt: null },
      NOW,
    ).rotations;
    expect(iso(first!.newVersionExpiresAt)).toBe("2027-05-02T00:00:00.000Z");
  });
});
