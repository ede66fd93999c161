import { describe, expect, it } from "vitest";

import { grantChoicesOf } from "@/lib/access/grant-choices";
import { app, buildModel, builtInRoles, group, user } from "@/lib/sod/testing";

const model = buildModel({
  principals: [
    user("dan"),
    app("api"),
    group("ops"),
    user("erin"),
    user("gone", { status: "missing" }),
  ],
  groups: { ops: ["erin"] },
  assignments: [
    "dan:cryptoOfficer@/",
    "api:cryptoUser@/keys/k1",
    "ops:cryptoUser@/keys/k2",
    "gone:cryptoUser@/",
  ],
  customRoles: [
    {
      id: "9b3f6c2e-4a71-4d8e-b5c0-2e7f1a9d3c84",
      roleName: "Card key operator",
      dataActions: ["Microsoft.KeyVault/managedHsm/keys/sign/action"],
      notDataActions: [],
    },
  ],
});
const withOtherHsm = { ...model, roles: [...model.roles, ...builtInRoles("hsm-b").slice(0, 2)] };

describe("grantChoicesOf", () => {
  it.each([
    { name: "a configured HSM with roles", configured: ["hsm-a"], hsms: ["hsm-a"] },
    {
      name: "configured HSMs without roles in the mirror are left out",
      configured: ["hsm-x", "hsm-a"],
      hsms: ["hsm-a"],
    },
    {
      name: "roles of an HSM no longer configured are left out",
      configured: ["hsm-b"],
      hsms: ["hsm-b"],
    },
    { name: "configuration order", configured: ["hsm-b", "hsm-a"], hsms: ["hsm-b", "hsm-a"] },
  ])("$name", ({ configured, hsms }) => {
    expect(grantChoicesOf(withOtherHsm, configured).hsms.map((h) => h.name)).toEqual(hsms);
  });

  it("lists built-in roles first, then custom ones, each by name", () => {
    const roles = grantChoicesOf(model, ["hsm-a"]).hsms[0]!.roles;
    expect(roles.at(-1)).toEqual({
      id: "9b3f6c2e-4a71-4d8e-b5c0-2e7f1a9d3c84",
      roleName: "Card key operator",
      custom: true,
    });
    const builtIn = roles.filter((r) => !r.custom).map((r) => r.roleName);
    expect(builtIn).toHaveLength(9);
    expect(builtIn).toEqual([...builtIn].sort((a, b) => a.localeCompare(b)));
  });

  it("offers assigned principals and members of assigned groups, not deleted ones", () => {
    const principals = grantChoicesOf(model, ["hsm-a"]).principals;
    expect(principals.map((p) => p.id).sort()).toEqual(
      ["admin-1", "admin-2", "admins", "api", "dan", "erin", "ops"].sort(),
    );
    expect(principals.find((p) => p.id === "erin")).toEqual({
      id: "erin",
      label: "erin",
      kind: "user",
      detail: "erin@example.test",
    });
  });
});
