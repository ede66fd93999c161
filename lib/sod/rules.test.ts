import { describe, expect, it } from "vitest";

import { DEFAULT_SETTINGS, evaluate } from "@/lib/sod/engine";
import { app, buildModel, group, user } from "@/lib/sod/testing";
import type { RuleId } from "@/lib/sod/types";

type Case = {
  name: string;
  model: Parameters<typeof buildModel>[0];
  /** Finding ids of this rule, without the rule prefix. */
  expected: string[];
  summary?: RegExp;
  keys?: { all: boolean; names: string[] };
};

const officer = (who: string, scope = "/") => `${who}:cryptoOfficer@${scope}`;
const cryptoUser = (who: string, scope = "/") => `${who}:cryptoUser@${scope}`;

const CASES: Record<RuleId, Case[]> = {
  "admin-individual": [
    { name: "an administrators group is fine", model: {}, expected: [] },
    {
      name: "a user holding Administrator directly",
      model: { principals: [user("carol")], assignments: ["carol:administrator@/"] },
      expected: ["hsm-a:carol"],
      summary: /User carol holds the Administrator role on hsm-a directly/,
    },
    {
      name: "a service principal as administrator is not an individual",
      model: { principals: [app("deployer")], assignments: ["deployer:administrator@/"] },
      expected: [],
    },
    {
      name: "a custom role with security-domain download counts as administrator",
      model: {
        principals: [user("carol")],
        customRoles: [
          {
            id: "custom-admin",
            roleName: "SD keeper",
            dataActions: ["Microsoft.KeyVault/managedHsm/securitydomain/download/action"],
            notDataActions: [],
          },
        ],
        assignments: ["carol:custom-admin@/"],
      },
      expected: ["hsm-a:carol"],
    },
  ],
  "manage-and-use": [
    {
      name: "officer and user on the whole HSM",
      model: { principals: [user("dan")], assignments: [officer("dan"), cryptoUser("dan")] },
      expected: ["hsm-a:dan"],
      summary: /dan can manage keys \(Managed HSM Crypto Officer\) and use the same keys/,
      keys: { all: true, names: [] },
    },
    {
      name: "HSM-wide officer overlaps a key-scoped user role",
      model: {
        principals: [user("dan")],
        assignments: [officer("dan", "/keys"), cryptoUser("dan", "/keys/k1")],
      },
      expected: ["hsm-a:dan"],
      keys: { all: true, names: [] },
    },
    {
      name: "the same key on both sides",
      model: {
        principals: [app("api")],
        assignments: [officer("api", "/keys/k1"), cryptoUser("api", "/keys/k1")],
      },
      expected: ["hsm-a:api"],
      keys: { all: false, names: ["k1"] },
    },
    {
      name: "different keys do not overlap",
      model: {
        principals: [app("api")],
        assignments: [officer("api", "/keys/k1"), cryptoUser("api", "/keys/k2")],
      },
      expected: [],
    },
    {
      name: "through nested groups: officer via one group, user via another",
      model: {
        principals: [user("erin"), group("officers"), group("apps"), group("team")],
        groups: { officers: ["erin"], team: ["erin"], apps: ["team", "erin"] },
        assignments: [officer("officers"), cryptoUser("apps", "/keys/k9")],
      },
      expected: ["hsm-a:erin"],
      summary: /through officers, apps/,
    },
    {
      name: "both through one group: reported once, on the group",
      model: {
        principals: [user("erin"), user("fay"), group("ops")],
        groups: { ops: ["erin", "fay"] },
        assignments: [officer("ops"), cryptoUser("ops")],
      },
      expected: ["hsm-a:ops"],
    },
    {
      name: "the service encryption role is usage too",
      model: {
        principals: [app("db")],
        assignments: [officer("db", "/keys/tde"), "db:serviceEncryptionUser@/keys/tde"],
      },
      expected: ["hsm-a:db"],
    },
    {
      name: "an unknown principal is still evaluated",
      model: { assignments: [officer("ghost"), cryptoUser("ghost")] },
      expected: ["hsm-a:ghost"],
    },
  ],
  "grant-and-crypto": [
    {
      name: "Administrator with Crypto User",
      model: {
        principals: [user("gil")],
        assignments: ["gil:administrator@/", cryptoUser("gil", "/keys/k1")],
      },
      expected: ["hsm-a:gil"],
      summary: /can grant roles \(Managed HSM Administrator\) and holds Managed HSM Crypto User/,
    },
    {
      name: "Policy Administrator with Crypto Officer",
      model: {
        principals: [user("gil")],
        assignments: ["gil:policyAdministrator@/", officer("gil")],
      },
      expected: ["hsm-a:gil"],
    },
    {
      name: "Administrator with Crypto Auditor is not cryptographic",
      model: {
        principals: [app("portal")],
        assignments: ["portal:administrator@/", "portal:cryptoAuditor@/"],
      },
      expected: [],
    },
    {
      name: "Crypto Officer alone does not count as granting here",
      model: { principals: [user("gil")], assignments: [officer("gil")] },
      expected: [],
    },
  ],
  "backup-and-restore": [
    {
      name: "Backup and Restore roles together",
      model: { principals: [user("hal")], assignments: ["hal:backup@/keys", "hal:restore@/"] },
      expected: ["hsm-a:hal"],
    },
    {
      name: "Backup alone",
      model: { principals: [user("hal")], assignments: ["hal:backup@/"] },
      expected: [],
    },
    {
      name: "the Administrator role alone is left to the administrator rules",
      model: {},
      expected: [],
    },
  ],
  "hsm-wide-usage": [
    {
      name: "a service principal with Crypto User at /keys",
      model: { principals: [app("api")], assignments: [cryptoUser("api", "/keys")] },
      expected: ["hsm-a:api"],
      summary: /can use every key in hsm-a/,
    },
    {
      name: "the same role at a key scope",
      model: { principals: [app("api")], assignments: [cryptoUser("api", "/keys/k1")] },
      expected: [],
    },
    {
      name: "a user at / is not this rule",
      model: { principals: [user("ivy")], assignments: [cryptoUser("ivy")] },
      expected: [],
    },
    {
      name: "a read-only role HSM-wide is fine",
      model: { principals: [app("reader")], assignments: ["reader:cryptoAuditor@/"] },
      expected: [],
    },
  ],
  "custom-role-mixed": [
    {
      name: "a wildcard role",
      model: {
        customRoles: [
          {
            id: "star",
            roleName: "Everything",
            dataActions: ["Microsoft.KeyVault/managedHsm/*"],
            notDataActions: [],
          },
        ],
        principals: [user("jo")],
        assignments: ["jo:star@/keys/k1"],
      },
      expected: ["hsm-a:star"],
      summary: /grants every data action; 1 assignment uses it/,
    },
    {
      name: "a role mixing purge and sign",
      model: {
        customRoles: [
          {
            id: "mixed",
            roleName: "Signer and purger",
            dataActions: [
              "Microsoft.KeyVault/managedHsm/keys/sign/action",
              "Microsoft.KeyVault/managedHsm/keys/deletedKeys/delete",
            ],
            notDataActions: [],
          },
        ],
      },
      expected: ["hsm-a:mixed"],
      summary: /both manages keys and uses them/,
    },
    {
      name: "not-data actions take the management half away",
      model: {
        customRoles: [
          {
            id: "keys-only",
            roleName: "Key user",
            dataActions: ["Microsoft.KeyVault/managedHsm/keys/*"],
            notDataActions: [
              "Microsoft.KeyVault/managedHsm/keys/deletedKeys/*",
              "Microsoft.KeyVault/managedHsm/keys/export/action",
            ],
          },
        ],
      },
      expected: [],
    },
  ],
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

describe("separation-of-duties rules", () => {
  for (const [ruleId, cases] of Object.entries(CASES) as [RuleId, Case[]][])
    describe(ruleId, () => {
      it.each(cases)("$name", ({ model, expected, summary, keys }) => {
        const findings = evaluate(buildModel(model)).filter((f) => f.ruleId === ruleId);
        expect(findings.map((f) => f.id).sort()).toEqual(
          expected.map((id) => `${ruleId}:${id}`).sort(),
        );
        if (summary) expect(findings[0]?.summary).toMatch(summary);
        if (keys) expect(findings[0]?.keys).toEqual(keys);
      });
    });

  it("switched off, a rule finds nothing; re-graded, its findings carry the new severity", () => {
    const model = buildModel({
      principals: [user("dan")],
      assignments: [officer("dan"), cryptoUser("dan")],
    });
    const off = {
      ...DEFAULT_SETTINGS,
      rules: {
        ...DEFAULT_SETTINGS.rules,
        "manage-and-use": { enabled: false, severity: "high" as const },
      },
    };
    expect(evaluate(model, off).some((f) => f.ruleId === "manage-and-use")).toBe(false);
    const low = {
      ...DEFAULT_SETTINGS,
      rules: {
        ...DEFAULT_SETTINGS.rules,
        "manage-and-use": { enabled: true, severity: "low" as const },
      },
    };
    expect(evaluate(model, low).find((f) => f.ruleId === "manage-and-use")?.severity).toBe("low");
  });

  it("orders findings by severity, then rule", () => {
    const findings = evaluate(
      buildModel({
        principals: [user("gil"), app("api")],
        assignments: [
          "gil:administrator@/",
          cryptoUser("gil", "/keys/k1"),
          cryptoUser("api", "/keys"),
        ],
      }),
    );
    const ranks = findings.map((f) => ["critical", "high", "medium", "low"].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(findings[0]?.ruleId).toBe("grant-and-crypto");
  });
});
