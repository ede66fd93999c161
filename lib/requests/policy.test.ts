import { describe, expect, it } from "vitest";

import {
  decisionRefusal,
  DEFAULT_POLICIES,
  requiredApprovals,
  type Decider,
  type DecisionSubject,
} from "@/lib/requests/policy";

const NOW = Date.UTC(2026, 11, 2, 12);
const MINUTE = 60_000;
const GROUP = { id: "6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", name: "Key approvers" };

const subject: DecisionSubject = {
  state: "pending",
  requesterId: "requester",
  policy: DEFAULT_POLICIES["key.delete"],
  deciderIds: ["first-approver"],
};
const approver: Decider = {
  id: "approver",
  mayApprove: true,
  groups: new Set([GROUP.id]),
  authTime: NOW - 2 * MINUTE,
};

describe("who may decide a request", () => {
  it.each<[string, Partial<DecisionSubject>, Partial<Decider>, string | null]>([
    ["an approver with a fresh sign-in", {}, {}, null],
    ["a request no longer pending", { state: "approved" }, {}, "conflict"],
    ["someone without the Approver role", {}, { mayApprove: false }, "forbidden"],
    ["the requester", {}, { id: "requester" }, "forbidden"],
    ["an approver deciding twice", {}, { id: "first-approver" }, "forbidden"],
    ["a member of the policy's group", { policy: { ...subject.policy, group: GROUP } }, {}, null],
    [
      "someone outside the policy's group",
      { policy: { ...subject.policy, group: GROUP } },
      { groups: new Set() },
      "forbidden",
    ],
    ["a sign-in exactly 10 minutes old", {}, { authTime: NOW - 10 * MINUTE }, null],
    [
      "a sign-in older than 10 minutes",
      {},
      { authTime: NOW - 10 * MINUTE - 1 },
      "reauthentication_required",
    ],
    ["a sign-in of unknown age", {}, { authTime: null }, "reauthentication_required"],
    [
      "the requester with a stale sign-in (refused for who they are first)",
      {},
      { id: "requester", authTime: null },
      "forbidden",
    ],
  ])("%s", (_, subjectChange, deciderChange, code) => {
    const refusal = decisionRefusal(
      { ...subject, ...subjectChange },
      { ...approver, ...deciderChange },
      NOW,
    );
    expect(refusal?.code ?? null).toBe(code);
    if (refusal) expect(refusal.reason.length).toBeGreaterThan(20);
  });

  it("names the self-approval in its reason", () => {
    expect(decisionRefusal(subject, { ...approver, id: "requester" }, NOW)?.reason).toMatch(
      /You filed this request/,
    );
  });
});

describe("how many approvals a request needs", () => {
  it.each<[string, string[], number]>([
    ["a key-scoped grant", ["/keys/payments"], 1],
    ["a grant at /keys", ["/keys"], 2],
    ["a grant at /", ["/"], 2],
    ["a bulk with one HSM-wide grant", ["/keys/a", "/"], 2],
  ])("%s", (_, scopes, required) => {
    expect(requiredApprovals(DEFAULT_POLICIES["role-assignment.create"], scopes)).toBe(required);
  });

  it("keeps a policy's larger count for HSM-wide grants", () => {
    expect(
      requiredApprovals({ ...DEFAULT_POLICIES["role-assignment.create"], approvals: 3 }, ["/"]),
    ).toBe(3);
  });

  it.each([
    ["key.update", 1],
    ["key.rotate", 1],
    ["key.rotation-policy", 1],
    ["key.create", 1],
    ["key.delete", 2],
    ["key.purge", 2],
    ["role-definition.upsert", 2],
    ["role-definition.delete", 2],
    ["setting.update", 2],
  ] as const)("by default %s needs %i", (kind, approvals) => {
    expect(DEFAULT_POLICIES[kind].approvals).toBe(approvals);
  });
});
