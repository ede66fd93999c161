import { describe, expect, it } from "vitest";

import {
  dataActionsOf,
  diffRole,
  draftFromRole,
  isUnchanged,
  keptActions,
  roleItem,
  type CurrentRole,
  type RoleDraft,
} from "@/lib/requests/role-drafts";

const P = "Microsoft.KeyVault/managedHsm/";
const ID = "9b3f6c2e-4a71-4d8e-b5c0-2e7f1a9d3c84";

const role = (extra: Partial<CurrentRole> = {}): CurrentRole => ({
  id: ID,
  roleName: "Card key operator",
  description: "Signs with card keys.",
  dataActions: [`${P}keys/read/action`, `${P}keys/sign/action`],
  notDataActions: [],
  ...extra,
});

describe("draftFromRole and dataActionsOf", () => {
  it("a new role starts empty", () =>
    expect(draftFromRole(null)).toEqual({ roleName: "", description: "", selected: [] }));

  it.each([
    {
      name: "known actions are ticked in the vocabulary's order",
      dataActions: [`${P}keys/sign/action`, `${P}Keys/Read/Action`],
      selected: ["keys/read/action", "keys/sign/action"],
      kept: [],
    },
    {
      name: "wildcards and unknown actions are kept, not ticked",
      dataActions: [`${P}keys/*`, `${P}keys/attest/action`, `${P}rng/action`],
      selected: ["rng/action"],
      kept: [`${P}keys/*`, `${P}keys/attest/action`],
    },
  ])("$name", ({ dataActions, selected, kept }) => {
    const current = role({ dataActions });
    const draft = draftFromRole(current);
    expect(draft.selected).toEqual(selected);
    expect(keptActions(dataActions)).toEqual(kept);
    expect(dataActionsOf(draft, current)).toEqual([...kept, ...selected.map((a) => `${P}${a}`)]);
  });

  it("an unread description starts empty", () =>
    expect(draftFromRole(role({ description: null })).description).toBe(""));
});

describe("diffRole", () => {
  it.each([
    {
      name: "nothing changed (order and case of actions do not count)",
      next: {
        roleName: "Card key operator ",
        description: "Signs with card keys.",
        dataActions: [`${P}Keys/Sign/Action`, `${P}keys/read/action`],
      },
      diff: { roleName: null, description: null, added: [], removed: [] },
      unchanged: true,
    },
    {
      name: "actions added and removed",
      next: {
        roleName: "Card key operator",
        description: "Signs with card keys.",
        dataActions: [`${P}keys/read/action`, `${P}keys/verify/action`, `${P}keys/wrap/action`],
      },
      diff: {
        roleName: null,
        description: null,
        added: ["keys/verify/action", "keys/wrap/action"],
        removed: ["keys/sign/action"],
      },
      unchanged: false,
    },
    {
      name: "name and description",
      next: {
        roleName: "Card signer",
        description: "",
        dataActions: [`${P}keys/read/action`, `${P}keys/sign/action`],
      },
      diff: {
        roleName: { from: "Card key operator", to: "Card signer" },
        description: { from: "Signs with card keys.", to: "" },
        added: [],
        removed: [],
      },
      unchanged: false,
    },
  ])("$name", ({ next, diff, unchanged }) => {
    const result = diffRole(role(), next);
    expect(result).toEqual(diff);
    expect(isUnchanged(result)).toBe(unchanged);
  });

  it("a description not read yet may change, so it counts as changed", () =>
    expect(
      diffRole(role({ description: null }), {
        roleName: "Card key operator",
        description: "",
        dataActions: role().dataActions,
      }).description,
    ).toEqual({ from: null, to: "" }));
});

describe("roleItem", () => {
  const draft = (extra: Partial<RoleDraft>): RoleDraft => ({
    roleName: "Signer",
    description: "Signs",
    selected: ["keys/sign/action"],
    ...extra,
  });

  it.each([
    {
      name: "a new role has no GUID and no not-data actions",
      current: null,
      draft: draft({ roleName: " Signer " }),
      expected: {
        item: {
          roleName: "Signer",
          description: "Signs",
          dataActions: [`${P}keys/sign/action`],
        },
      },
    },
    {
      name: "an edit keeps the GUID, the kept actions and the not-data actions",
      current: role({
        dataActions: [`${P}keys/*`],
        notDataActions: [`${P}keys/deletedKeys/delete`],
      }),
      draft: draft({ roleName: "Card key operator", selected: ["rng/action"] }),
      expected: {
        item: {
          name: ID,
          roleName: "Card key operator",
          description: "Signs",
          dataActions: [`${P}keys/*`, `${P}rng/action`],
          notDataActions: [`${P}keys/deletedKeys/delete`],
        },
      },
    },
    {
      name: "no name and no action",
      current: null,
      draft: draft({ roleName: "  ", selected: [] }),
      expected: {
        errors: {
          roleName: "Give the role a name.",
          dataActions: "Tick at least one data action.",
        },
      },
    },
    {
      name: "an edit that changes nothing is not filed",
      current: role(),
      draft: draftFromRole(role()),
      expected: { errors: {}, form: "Nothing has changed yet." },
    },
    {
      name: "the API's schema has the last word",
      current: null,
      draft: draft({ description: "x".repeat(1001) }),
      expected: { errors: { description: expect.stringMatching(/^Too big/) as unknown } },
    },
  ])("$name", ({ current, draft: given, expected }) =>
    expect(roleItem(current, given)).toEqual(expected),
  );
});
