import { describe, expect, it } from "vitest";

import {
  BUILT_IN_ROLES,
  type AccessModel,
  type Assignment,
  type Principal,
  type RoleDefinition,
} from "@/lib/access/model";
import { evaluate } from "@/lib/sod/engine";
import type { RuleId } from "@/lib/sod/types";

/* Small access models for the rule tables: built-in roles as the reference lists them. */

const RBAC_ALL = [
  "roleAssignments/read/action",
  "roleAssignments/write/action",
  "roleAssignments/delete/action",
  "roleDefinitions/read/action",
  "roleDefinitions/write/action",
  "roleDefinitions/delete/action",
];
const CRYPTO = ["encrypt", "decrypt", "wrap", "unwrap", "sign", "verify"].map(
  (a) => `keys/${a}/action`,
);

const BUILT_IN: Record<keyof typeof BUILT_IN_ROLES, [string, string[]]> = {
  administrator: [
    "Managed HSM Administrator",
    [
      "securitydomain/download/action",
      "securitydomain/upload/action",
      ...RBAC_ALL,
      "backup/start/action",
      "backup/status/action",
      "restore/start/action",
      "restore/status/action",
    ],
  ],
  cryptoOfficer: [
    "Managed HSM Crypto Officer",
    [
      "keys/deletedKeys/read/action",
      "keys/deletedKeys/recover/action",
      "keys/deletedKeys/delete",
      "keys/export/action",
      ...RBAC_ALL,
    ],
  ],
  cryptoUser: [
    "Managed HSM Crypto User",
    [
      "keys/read/action",
      "keys/write/action",
      "keys/create",
      "keys/delete",
      "keys/rotate/action",
      ...CRYPTO,
      "keys/release/action",
      "roleAssignments/read/action",
    ],
  ],
  policyAdministrator: ["Managed HSM Policy Administrator", RBAC_ALL],
  cryptoAuditor: [
    "Managed HSM Crypto Auditor",
    ["keys/read/action", "keys/deletedKeys/read/action", "roleAssignments/read/action"],
  ],
  serviceEncryptionUser: [
    "Managed HSM Crypto Service Encryption User",
    ["keys/read/action", "keys/wrap/action", "keys/unwrap/action"],
  ],
  serviceReleaseUser: ["Managed HSM Crypto Service Release User", ["keys/release/action"]],
  backup: [
    "Managed HSM Backup",
    ["keys/backup/action", "backup/start/action", "backup/status/action"],
  ],
  restore: [
    "Managed HSM Restore",
    ["keys/restore/action", "restore/start/action", "restore/status/action"],
  ],
};

export function builtInRoles(hsm: string): RoleDefinition[] {
  return Object.entries(BUILT_IN).map(([key, [roleName, actions]]) => ({
    hsm,
    id: BUILT_IN_ROLES[key as keyof typeof BUILT_IN_ROLES],
    roleName,
    roleType: "AKVBuiltInRole",
    description: null,
    dataActions: actions.map((a) => `Microsoft.KeyVault/managedHsm/${a}`),
    notDataActions: [],
  }));
}

export const user = (id: string, extra: Partial<Principal> = {}): Principal => ({
  id,
  kind: "user",
  displayName: id,
  detail: `${id}@example.test`,
  guest: false,
  status: "exists",
  ...extra,
});
export const group = (id: string): Principal => ({ ...user(id), kind: "group", detail: null });
export const app = (id: string): Principal => ({
  ...user(id),
  kind: "servicePrincipal",
  detail: null,
});

export type RoleName = keyof typeof BUILT_IN_ROLES;

/** "alice:cryptoUser@/keys/k1" → an assignment on hsm-a (or the HSM given). */
export function assignment(spec: string, index: number, hsm = "hsm-a"): Assignment {
  const match = /^([^:]+):([^@]+)@(.+)$/.exec(spec);
  if (!match) throw new Error(`bad assignment spec ${spec}`);
  const [, principalId, role, scope] = match as unknown as [string, string, string, string];
  const roleDefinitionId = (BUILT_IN_ROLES as Record<string, string>)[role] ?? role;
  return { hsm, name: `a${index}`, scope, roleDefinitionId, principalId };
}

/** Two administrators in a group by default, so that rule 7 stays quiet unless asked. */
export function buildModel(options: {
  assignments?: string[];
  principals?: Principal[];
  groups?: Record<string, string[]>;
  customRoles?: Omit<RoleDefinition, "hsm" | "roleType" | "description">[];
  portalRoles?: { principalId: string; role: string; viaGroupId?: string }[];
  withAdmins?: boolean;
}): AccessModel {
  const withAdmins = options.withAdmins ?? true;
  const principals = [
    ...(withAdmins ? [group("admins"), user("admin-1"), user("admin-2")] : []),
    ...(options.principals ?? []),
  ];
  const groups = {
    ...(withAdmins ? { admins: ["admin-1", "admin-2"] } : {}),
    ...options.groups,
  };
  const specs = [...(withAdmins ? ["admins:administrator@/"] : []), ...(options.assignments ?? [])];
  return {
    assignments: specs.map((spec, i) => assignment(spec, i)),
    roles: [
      ...builtInRoles("hsm-a"),
      ...(options.customRoles ?? []).map((role) => ({
        ...role,
        hsm: "hsm-a",
        roleType: "CustomRole",
        description: null,
      })),
    ],
    principals: new Map(principals.map((p) => [p.id, p])),
    groupMembers: new Map(Object.entries(groups)),
    portalRoleHolders: (options.portalRoles ?? []).map((holder) => ({
      ...holder,
      viaGroupId: holder.viaGroupId ?? null,
    })),
  };
}

export interface RuleCase {
  name: string;
  model: Parameters<typeof buildModel>[0];
  /** Finding ids of this rule, without the rule prefix. */
  expected: string[];
  summary?: RegExp;
  keys?: { all: boolean; names: string[] };
}

/** One describe per rule, one test per case: the rule's findings are exactly the expected ones. */
export function ruleCases(cases: Partial<Record<RuleId, RuleCase[]>>): void {
  for (const [ruleId, list] of Object.entries(cases) as [RuleId, RuleCase[]][])
    describe(ruleId, () => {
      it.each(list)("$name", ({ model, expected, summary, keys }) => {
        const findings = evaluate(buildModel(model)).filter((f) => f.ruleId === ruleId);
        expect(findings.map((f) => f.id).sort()).toEqual(
          expected.map((id) => `${ruleId}:${id}`).sort(),
        );
        if (summary) expect(findings[0]?.summary).toMatch(summary);
        if (keys) expect(findings[0]?.keys).toEqual(keys);
      });
    });
}
