import { describe, expect, it } from "vitest";

import type { Principal } from "@/lib/access/model";
import {
  groupLabel,
  groupLabelText,
  groupOptions,
  type GroupLabel,
} from "@/lib/directory/group-labels";

const ID = "3243182d-1727-4605-9abd-29ce37fe0480";
const OTHER = "e8a05c6d-0000-4000-8000-000000000001";

function principal(overrides: Partial<Principal>): Principal {
  return {
    id: ID,
    kind: "group",
    displayName: "Payments team",
    detail: null,
    guest: false,
    status: "exists",
    ...overrides,
  };
}

describe("groupLabel", () => {
  it.each<[string, Principal | undefined, GroupLabel]>([
    ["a cached group", principal({}), { id: ID, status: "exists", name: "Payments team" }],
    ["a deleted principal", principal({ status: "missing" }), { id: ID, status: "missing" }],
    ["an id never looked up", undefined, { id: ID, status: "unknown" }],
    ["an object without a name", principal({ displayName: null }), { id: ID, status: "unknown" }],
    ["an unresolved principal", principal({ status: "unresolved" }), { id: ID, status: "unknown" }],
  ])("labels %s", (_, cached, expected) => {
    expect(groupLabel(ID, cached)).toEqual(expected);
  });
});

describe("groupLabelText", () => {
  it("never passes a bare id off as a name", () => {
    expect(groupLabelText({ id: ID, status: "exists", name: "Payments team" })).toBe(
      "Payments team",
    );
    expect(groupLabelText({ id: ID, status: "missing" })).toBe(`Deleted principal ${ID}`);
    expect(groupLabelText({ id: ID, status: "unknown" })).toBe(`Unknown group ${ID}`);
  });
});

describe("groupOptions", () => {
  it("sorts by text and adds the id only to names that two groups share", () => {
    const third = "0d81ace7-0000-4000-8000-000000000002";
    expect(
      groupOptions([
        { id: ID, status: "exists", name: "Payments team" },
        { id: OTHER, status: "unknown" },
        { id: third, status: "exists", name: "Payments team" },
        { id: "a", status: "exists", name: "Card issuing team" },
      ]),
    ).toEqual([
      ["a", "Card issuing team"],
      [third, `Payments team (${third})`],
      [ID, `Payments team (${ID})`],
      [OTHER, `Unknown group ${OTHER}`],
    ]);
  });
});
