import { describe } from "vitest";

import { app, group, ruleCases, user, type RuleCase } from "@/lib/sod/testing";
import type { RuleId } from "@/lib/sod/types";

/* The rules about administrators, identities and portal roles (the duty rules are in rules.test.ts). */

const cryptoUser = (who: string, scope = "/") => `${who}:cryptoUser@${scope}`;

const CASES: Partial<Record<RuleId, RuleCase[]>> = {
  "administrator-count": [
    { name: "two administrators through a group", model: {}, expected: [] },
    {
      name: "one administrator",
      model: {
        withAdmins: false,
        principals: [group("admins"), user("solo")],
        groups: { admins: ["solo"] },
        assignments: ["admins:administrator@/"],
      },
      expected: ["hsm-a:too-few"],
      summary: /only one administrator/,
    },
    {
      name: "no administrator at all",
      model: { withAdmins: false, assignments: ["someone:cryptoUser@/keys/k1"] },
      expected: ["hsm-a:too-few"],
      summary: /no administrator/,
    },
    {
      name: "a deleted administrator does not count",
      model: {
        withAdmins: false,
        principals: [app("a1"), user("gone", { status: "missing", kind: "unknown" })],
        assignments: ["a1:administrator@/", "gone:administrator@/"],
      },
      expected: ["hsm-a:too-few"],
    },
    {
      name: "more than the maximum",
      model: {
        withAdmins: false,
        principals: [group("admins")],
        groups: { admins: ["u1", "u2", "u3", "u4", "u5", "u6"] },
        assignments: ["admins:administrator@/"],
      },
      expected: ["hsm-a:too-many"],
      summary: /6 administrators, more than the configured maximum of 5/,
    },
  ],
  "orphan-or-guest": [
    {
      name: "a deleted principal",
      model: {
        principals: [user("old", { status: "missing", kind: "unknown" })],
        assignments: [cryptoUser("old", "/keys/k1")],
      },
      expected: ["hsm-a:old"],
      summary: /no longer exists/,
    },
    {
      name: "a guest through a group",
      model: {
        principals: [user("vendor", { guest: true }), group("partners")],
        groups: { partners: ["vendor"] },
        assignments: ["partners:serviceEncryptionUser@/keys/k1"],
      },
      expected: ["hsm-a:vendor"],
      summary: /Guest user vendor holds .* \(through partners\)/,
    },
    {
      name: "an unresolved principal is not called deleted",
      model: { assignments: [cryptoUser("not-looked-up", "/keys/k1")] },
      expected: [],
    },
  ],
  "several-roles": [
    {
      name: "two roles directly",
      model: {
        principals: [app("api")],
        assignments: [cryptoUser("api", "/keys/k1"), "api:serviceEncryptionUser@/keys/k2"],
      },
      expected: ["hsm-a:api"],
      summary: /holds 2 roles on hsm-a/,
    },
    {
      name: "the same role at two keys is one role",
      model: {
        principals: [app("api")],
        assignments: [cryptoUser("api", "/keys/k1"), cryptoUser("api", "/keys/k2")],
      },
      expected: [],
    },
  ],
  "keyadmin-and-approver": [
    {
      name: "KeyAdmin through a group and Approver directly",
      model: {
        principals: [user("kim"), group("key-team")],
        portalRoles: [
          { principalId: "kim", role: "Keyward.KeyAdmin", viaGroupId: "key-team" },
          { principalId: "kim", role: "Keyward.Approver" },
        ],
      },
      expected: ["portal:kim"],
      summary: /kim holds Keyward.KeyAdmin through key-team and Keyward.Approver directly/,
    },
    {
      name: "Approver and Auditor is fine",
      model: {
        portalRoles: [
          { principalId: "lee", role: "Keyward.Auditor" },
          { principalId: "lee", role: "Keyward.Approver" },
        ],
      },
      expected: [],
    },
  ],
};

describe("separation-of-duties rules about administrators and identities", () => {
  ruleCases(CASES);
});
