import { describe, expect, it } from "vitest";

import { DEFAULT_SETTINGS, evaluate } from "@/lib/sod/engine";
import { app, buildModel, group, ruleCases, user, type RuleCase } from "@/lib/sod/testing";
import type { RuleId } from "@/lib/sod/types";

const officer = (who: string, scope = "/") => `${who}:cryptoOfficer@${scope}`;
const cryptoUser = (who: string, scope = "/") => `${who}:cryptoUser@${scope}`;

const CASES: Partial<Record<RuleId, RuleCase[]>> = {
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
};

describe("separation-of-duties rules", () => {
  ruleCases(CASES);

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
