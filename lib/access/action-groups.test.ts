import { describe, expect, it } from "vitest";

import { ACTION_GROUPS, actionGroupOf, groupActions } from "@/lib/access/action-groups";
import { DATA_ACTIONS, MANAGE_ACTIONS, USE_ACTIONS } from "@/lib/access/actions";

const P = "Microsoft.KeyVault/managedHsm/";
const KNOWN = Object.keys(DATA_ACTIONS);

describe("actionGroupOf", () => {
  it.each([
    ["keys/read/action", "keys"],
    ["keys/create", "keys"],
    ["keys/rotate/action", "keys"],
    ["keys/export/action", "keys"],
    ["keys/deletedKeys/delete", "keys"],
    ["keys/sign/action", "crypto"],
    ["keys/unwrap/action", "crypto"],
    ["keys/release/action", "crypto"],
    ["rng/action", "crypto"],
    ["roleAssignments/write/action", "roles"],
    ["roleDefinitions/delete/action", "roles"],
    ["backup/start/action", "backup"],
    ["restore/status/action", "backup"],
    ["keys/backup/action", "backup"],
    ["keys/restore/action", "backup"],
    ["securitydomain/download/action", "security-domain"],
    ["securitydomain/transferkey/read", "security-domain"],
    [`${P}keys/encrypt/action`, "crypto"],
    [`${P}Keys/Sign/Action`, "crypto"],
    [`${P}keys/attest/action`, "other"],
    [`${P}keys/*`, "other"],
  ])("%s → %s", (action, group) => expect(actionGroupOf(action)).toBe(group));

  it("puts every known action in a named group", () => {
    for (const action of KNOWN) expect(actionGroupOf(action), action).not.toBe("other");
  });

  it("keeps the separation-of-duties halves apart: cryptographic use holds no management", () => {
    for (const action of KNOWN) {
      if (USE_ACTIONS.has(action)) expect(actionGroupOf(action), action).toBe("crypto");
      if (MANAGE_ACTIONS.has(action)) expect(actionGroupOf(action), action).not.toBe("crypto");
    }
  });
});

describe("groupActions", () => {
  it("groups the whole vocabulary in the groups' order, each action once", () => {
    const groups = groupActions(KNOWN);
    expect(groups.map((g) => g.id)).toEqual(
      ACTION_GROUPS.map((g) => g.id).filter((id) => id !== "other"),
    );
    expect(groups.flatMap((g) => g.actions).sort()).toEqual([...KNOWN].sort());
  });

  it.each([
    {
      name: "vocabulary order within a group, empty groups left out",
      actions: ["keys/verify/action", "keys/sign/action", "keys/encrypt/action"],
      expected: [["crypto", ["keys/encrypt/action", "keys/sign/action", "keys/verify/action"]]],
    },
    {
      name: "full and odd-case forms in the vocabulary's spelling, once",
      actions: [`${P}Keys/Create`, "keys/create", `${P}backup/start/action`],
      expected: [
        ["keys", ["keys/create"]],
        ["backup", ["backup/start/action"]],
      ],
    },
    {
      name: "unknown actions and wildcards last, alphabetically",
      actions: [`${P}keys/zeta/action`, "keys/read/action", `${P}keys/*`],
      expected: [
        ["keys", ["keys/read/action"]],
        ["other", ["keys/*", "keys/zeta/action"]],
      ],
    },
    { name: "nothing", actions: [], expected: [] },
  ])("$name", ({ actions, expected }) =>
    expect(groupActions(actions).map((g) => [g.id, g.actions])).toEqual(expected),
  );
});
