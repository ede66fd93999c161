import { describe, expect, it } from "vitest";

import {
  hasPermission,
  PERMISSIONS,
  permissionsOf,
  PORTAL_ROLES,
  portalRoles,
  ROLE_PERMISSIONS,
  type Permission,
} from "@/lib/auth/permissions";

describe("the permissions table", () => {
  it.each<[string, string[], Permission[]]>([
    [
      "a Requester",
      ["Keyward.Requester"],
      [
        "account.read",
        "account.sessions.end",
        "inventory.read",
        "requests.read",
        "requests.fileOwn",
      ],
    ],
    [
      "a KeyAdmin",
      ["Keyward.KeyAdmin"],
      [
        "account.read",
        "account.sessions.end",
        "status.read",
        "status.setup",
        "inventory.read",
        "inventory.readAll",
        "inventory.sync",
        "access.read",
        "sod.configure",
        "audit.read",
        "evidence.export",
        "requests.read",
        "requests.readAll",
        "requests.fileOwn",
        "requests.file",
        "backups.read",
        "backups.run",
        "outOfBand.read",
        "outOfBand.explain",
        "accessReviews.read",
        "accessReviews.start",
      ],
    ],
    [
      "an Approver",
      ["Keyward.Approver"],
      [
        "account.read",
        "account.sessions.end",
        "inventory.read",
        "inventory.readAll",
        "access.read",
        "requests.read",
        "requests.readAll",
        "requests.approve",
        "backups.read",
        "accessReviews.read",
        "accessReviews.decide",
      ],
    ],
    [
      "an Auditor",
      ["Keyward.Auditor"],
      [
        "account.read",
        "account.sessions.end",
        "status.read",
        "inventory.read",
        "inventory.readAll",
        "access.read",
        "audit.read",
        "evidence.export",
        "requests.read",
        "requests.readAll",
        "backups.read",
        "outOfBand.read",
        "accessReviews.read",
      ],
    ],
    [
      "a KeyAdmin who approves",
      ["Keyward.Approver", "Keyward.KeyAdmin"],
      [
        "account.read",
        "account.sessions.end",
        "status.read",
        "status.setup",
        "inventory.read",
        "inventory.readAll",
        "inventory.sync",
        "access.read",
        "sod.configure",
        "audit.read",
        "evidence.export",
        "requests.read",
        "requests.readAll",
        "requests.fileOwn",
        "requests.file",
        "requests.approve",
        "backups.read",
        "backups.run",
        "outOfBand.read",
        "outOfBand.explain",
        "accessReviews.read",
        "accessReviews.start",
        "accessReviews.decide",
      ],
    ],
    ["someone with no role", [], []],
    ["roles of other applications", ["Directory.Read.All", "keyward.keyadmin"], []],
  ])("grants %s exactly its permissions", (_who, roles, expected) => {
    expect([...permissionsOf(roles)].sort()).toEqual([...expected].sort());
  });

  it("only grants permissions that exist, to roles that exist", () => {
    for (const [role, permissions] of Object.entries(ROLE_PERMISSIONS)) {
      expect(Object.hasOwn(PORTAL_ROLES, role)).toBe(true);
      for (const permission of permissions)
        expect(Object.hasOwn(PERMISSIONS, permission)).toBe(true);
    }
  });

  it("keeps auditors read-only: no auditor permission changes anything", () => {
    const auditor = ROLE_PERMISSIONS["Keyward.Auditor"].filter((p) => !/\.read(All)?$/.test(p));
    // Ending one's own session and downloading evidence (recorded, a read of what is there) are
    // the only ones not named read, and neither changes managed state.
    expect(auditor).toEqual(["account.sessions.end", "evidence.export"]);
  });

  it("ignores unknown and duplicated roles", () => {
    expect(portalRoles(["Keyward.Auditor", "x", "Keyward.Auditor"])).toEqual(["Keyward.Auditor"]);
    expect(hasPermission(["Keyward.Requester"], "status.read")).toBe(false);
  });
});
