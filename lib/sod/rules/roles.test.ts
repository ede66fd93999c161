import { describe, expect, it } from "vitest";

import { customRoleConcern } from "@/lib/sod/rules/roles";

const P = "Microsoft.KeyVault/managedHsm/";

describe("customRoleConcern (the test of rule custom-role-mixed)", () => {
  it.each([
    { name: "use only", data: ["keys/sign/action", "keys/read/action"], not: [], expected: null },
    {
      name: "management only",
      data: ["keys/deletedKeys/delete", "roleAssignments/write/action"],
      not: [],
      expected: null,
    },
    {
      name: "lifecycle and use is not this rule",
      data: ["keys/create", "keys/sign/action"],
      not: [],
      expected: null,
    },
    {
      name: "purge and sign mix",
      data: ["keys/sign/action", "keys/deletedKeys/delete", "keys/read/action"],
      not: [],
      expected: {
        everything: false,
        manage: ["keys/deletedKeys/delete"],
        use: ["keys/sign/action"],
      },
    },
    {
      name: "granting roles and decrypting mix",
      data: ["roleAssignments/write/action", "keys/decrypt/action", "keys/unwrap/action"],
      not: [],
      expected: {
        everything: false,
        manage: ["roleAssignments/write/action"],
        use: ["keys/decrypt/action", "keys/unwrap/action"],
      },
    },
    {
      name: "a not-data action takes the management half away",
      data: ["keys/*"],
      not: ["keys/deletedKeys/*", "keys/export/action"],
      expected: null,
    },
    {
      name: "a wildcard grants everything",
      data: ["*"],
      not: [],
      expected: expect.objectContaining({ everything: true }) as unknown,
    },
  ])("$name", ({ data, not, expected }) =>
    expect(
      customRoleConcern(
        data.map((a) => (a === "*" ? a : `${P}${a}`)),
        not.map((a) => `${P}${a}`),
      ),
    ).toEqual(expected),
  );
});
