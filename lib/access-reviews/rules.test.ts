import { describe, expect, it } from "vitest";

import {
  cancelRefusal,
  decisionRefusal,
  progressOf,
  removalJustification,
  reviewItems,
  reviewStandings,
  type DecisionFacts,
} from "@/lib/access-reviews/rules";
import { unknownPrincipal, type Principal } from "@/lib/access/model";

const ME = "11111111-1111-4111-8111-111111111111";
const MY_GROUP = "22222222-2222-4222-8222-222222222222";
const APP = "33333333-3333-4333-8333-333333333333";

const facts = (overrides: Partial<DecisionFacts> = {}): DecisionFacts => ({
  review: { id: "r1", state: "open" },
  item: {
    assignment: "a1",
    principalId: APP,
    principalName: "payments-api",
    decision: "pending",
    decidedByName: null,
  },
  reviewer: { id: ME, groups: new Set([MY_GROUP]) },
  verdict: "confirm",
  comment: "",
  ...overrides,
});

describe("decisionRefusal", () => {
  it.each([
    ["a pending item of an open review, confirmed", facts(), null],
    ["a flag with its reason", facts({ verdict: "flag", comment: "Retired in October" }), null],
    ["a completed review", facts({ review: { id: "r1", state: "completed" } }), "conflict"],
    ["a cancelled review", facts({ review: { id: "r1", state: "cancelled" } }), "conflict"],
    [
      "an item decided already",
      facts({ item: { ...facts().item, decision: "confirmed", decidedByName: "Ann" } }),
      "conflict",
    ],
    [
      "the reviewer's own assignment (any case)",
      facts({ item: { ...facts().item, principalId: ME.toUpperCase() } }),
      "forbidden",
    ],
    [
      "an assignment to a group the reviewer is in",
      facts({ item: { ...facts().item, principalId: MY_GROUP.toUpperCase() } }),
      "forbidden",
    ],
    ["a flag without a reason", facts({ verdict: "flag", comment: "   " }), "validation_failed"],
    [
      "a flag with a short reason",
      facts({ verdict: "flag", comment: "gone" }),
      "validation_failed",
    ],
  ])("%s", (_name, input, code) => {
    expect(decisionRefusal(input)?.code ?? null).toBe(code);
  });

  it("names who decided first", () => {
    expect(
      decisionRefusal(
        facts({ item: { ...facts().item, decision: "flagged", decidedByName: "Ann Approver" } }),
      )?.reason,
    ).toContain("flagged already by Ann Approver");
  });
});

describe("cancelRefusal", () => {
  it.each([
    ["open", null],
    ["completed", "conflict"],
    ["cancelled", "conflict"],
  ] as const)("a review %s", (state, code) => {
    expect(cancelRefusal({ id: "r1", state })?.code ?? null).toBe(code);
  });
});

describe("reviewItems", () => {
  const principals = new Map<string, Principal>([
    [
      APP,
      {
        ...unknownPrincipal(APP),
        kind: "servicePrincipal",
        displayName: "payments-api",
        status: "exists",
      },
    ],
    [ME, { ...unknownPrincipal(ME), status: "missing" }],
  ]);
  const roles: Record<string, string> = { r1: "Crypto User", r2: "Administrator" };
  const items = reviewItems(
    [
      { name: "k", scope: "/keys/ledger", roleDefinitionId: "r1", principalId: APP },
      { name: "w", scope: "/keys", roleDefinitionId: "r1", principalId: APP },
      { name: "h2", scope: "/", roleDefinitionId: "r1", principalId: ME },
      { name: "h1", scope: "/", roleDefinitionId: "r2", principalId: "unknown-id" },
    ],
    (id) => roles[id] ?? id,
    (id) => principals.get(id) ?? unknownPrincipal(id),
  );

  it("puts HSM-wide scopes first, then keys, each by role and principal", () => {
    expect(items.map((i) => [i.position, i.assignment])).toEqual([
      [0, "h1"],
      [1, "h2"],
      [2, "w"],
      [3, "k"],
    ]);
  });

  it("names principals as the directory knows them, deleted ones as deleted", () => {
    expect(items.map((i) => [i.principalName, i.principalType, i.roleName])).toEqual([
      ["unknown-id", "unknown", "Administrator"],
      [`Deleted principal ${ME}`, "unknown", "Crypto User"],
      ["payments-api", "servicePrincipal", "Crypto User"],
      ["payments-api", "servicePrincipal", "Crypto User"],
    ]);
  });
});

describe("progressOf and removalJustification", () => {
  it("counts decisions", () => {
    expect(progressOf(["pending", "confirmed", "flagged", "confirmed"])).toEqual({
      total: 4,
      confirmed: 2,
      flagged: 1,
      pending: 1,
    });
    expect(progressOf([])).toEqual({ total: 0, confirmed: 0, flagged: 0, pending: 0 });
  });

  it("says which review flagged what, and why", () => {
    expect(
      removalJustification(
        { id: "r9", hsm: "weu", startedByName: "Kim", startedAt: Date.UTC(2026, 11, 1, 9) },
        { roleName: "Crypto User", principalName: "payments-api", scope: "/keys/ledger" },
        "  Retired in October ",
      ),
    ).toBe(
      "Flagged for removal in the access review of weu started 2026-12-01 by Kim (r9): Crypto User for payments-api at /keys/ledger. Reviewer's reason: Retired in October",
    );
  });
});

describe("reviewStandings", () => {
  const review = (
    id: string,
    hsm: string,
    state: "open" | "completed" | "cancelled",
    endedAt: number | null,
  ) => ({
    id,
    hsm,
    state,
    endedAt,
  });

  it("gives each HSM its last completed review and its open one, in the HSMs' order", () => {
    expect(
      reviewStandings(
        [
          review("old", "weu", "completed", 100),
          review("new", "weu", "completed", 300),
          review("dropped", "weu", "cancelled", 400),
          review("now", "weu", "open", null),
          review("elsewhere", "other", "completed", 500),
        ],
        ["neu", "weu"],
      ).map((s) => [s.hsm, s.lastCompleted?.id ?? null, s.open?.id ?? null]),
    ).toEqual([
      ["neu", null, null],
      ["weu", "new", "now"],
    ]);
  });
});
