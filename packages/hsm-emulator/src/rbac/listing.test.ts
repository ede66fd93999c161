import { describe, expect, it } from "vitest";

import type { Assignment } from "./evaluate";
import { listAssignments, parseAssignmentFilter } from "./listing";

const ALICE = "11111111-1111-1111-1111-111111111111";
const BOB = "22222222-2222-2222-2222-222222222222";
const assignment = (name: string, scope: string, principalId: string): Assignment => ({
  name,
  scope,
  principalId,
  roleDefinitionId: "role",
});
const ALL = [
  assignment("root-alice", "/", ALICE),
  assignment("keys-bob", "/keys", BOB),
  assignment("pay-alice", "/keys/pay", ALICE),
  assignment("pay-bob", "/keys/pay", BOB),
  assignment("ledger-alice", "/keys/ledger", ALICE),
];

describe("parseAssignmentFilter", () => {
  it.each([
    [null, { kind: "none" }],
    ["", { kind: "none" }],
    ["atScope()", { kind: "atScope" }],
    [`principalId eq '${ALICE}'`, { kind: "principal", principalId: ALICE }],
    [`principalId eq ${ALICE.toUpperCase()}`, { kind: "principal", principalId: ALICE }],
    ["roleName eq 'x'", null],
    ["atScope() or 1", null],
  ])("reads %j", (raw, expected) => {
    expect(parseAssignmentFilter(raw)).toEqual(expected);
  });
});

describe("listAssignments", () => {
  it.each([
    ["/", "", ["root-alice", "keys-bob"]],
    ["/keys", "", ["root-alice", "keys-bob"]],
    ["/keys/pay", "", ["pay-alice", "pay-bob"]],
    ["/", "atScope()", ["root-alice", "keys-bob"]],
    ["/keys/pay", "atScope()", ["root-alice", "keys-bob", "pay-alice", "pay-bob"]],
    ["/", `principalId eq '${ALICE}'`, ["root-alice", "pay-alice", "ledger-alice"]],
    ["/keys/pay", `principalId eq '${ALICE}'`, ["root-alice", "pay-alice"]],
    ["/keys/ledger", `principalId eq '${BOB}'`, ["keys-bob"]],
  ])("at %s with filter %j", (scope, raw, expected) => {
    const filter = parseAssignmentFilter(raw)!;
    expect(listAssignments(ALL, scope, filter).map((a) => a.name)).toEqual(expected);
  });
});
