import { describe, expect, it } from "vitest";

import { BUILT_IN_ROLES } from "@/lib/access/model";
import type { RoleAssignmentInfo, RoleDefinitionInfo } from "@/lib/hsm/types";

import { capabilityCoverage, rolesToGrant } from "./coverage";

const PORTAL = "2015083e-3f5a-4a57-9d6c-8b1e0f2a3c4d";
const OTHER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

const definition = (
  id: string,
  roleName: string,
  dataActions: string[],
  notDataActions: string[] = [],
): RoleDefinitionInfo => ({
  id,
  roleName,
  roleType: "AKVBuiltInRole",
  description: "",
  dataActions: dataActions.map((a) => `Microsoft.KeyVault/managedHsm/${a}`),
  notDataActions: notDataActions.map((a) => `Microsoft.KeyVault/managedHsm/${a}`),
});

const AUDITOR = definition(BUILT_IN_ROLES.cryptoAuditor, "Managed HSM Crypto Auditor", [
  "keys/read/action",
  "keys/deletedKeys/read/action",
  "roleAssignments/read/action",
  "roleDefinitions/read/action",
]);
const USER = definition(BUILT_IN_ROLES.cryptoUser, "Managed HSM Crypto User", [
  "keys/read/action",
  "keys/create",
  "keys/import/action",
  "keys/write/action",
  "keys/rotate/action",
  "keys/delete",
  "roleAssignments/read/action",
  "roleDefinitions/read/action",
]);
const BACKUP = definition(BUILT_IN_ROLES.backup, "Managed HSM Backup", [
  "keys/backup/action",
  "backup/start/action",
  "backup/status/action",
]);
const ADMIN = definition(BUILT_IN_ROLES.administrator, "Managed HSM Administrator", [
  "roleAssignments/read/action",
  "roleAssignments/write/action",
  "roleAssignments/delete/action",
  "roleDefinitions/read/action",
  "roleDefinitions/write/action",
  "roleDefinitions/delete/action",
  "backup/start/action",
  "backup/status/action",
  "restore/start/action",
  "restore/status/action",
]);
const EVERYTHING_BUT_DELETE = {
  ...definition(
    "c0ffee00-0000-4000-8000-000000000001",
    "Key team custom",
    ["keys/*"],
    ["keys/delete"],
  ),
  roleType: "CustomRole",
};
const DEFINITIONS = [AUDITOR, USER, BACKUP, ADMIN, EVERYTHING_BUT_DELETE];

const assignment = (
  roleDefinitionId: string,
  scope: string,
  principalId = PORTAL,
): RoleAssignmentInfo => ({
  name: `${roleDefinitionId.slice(0, 8)}-${scope}`,
  scope,
  roleDefinitionId,
  principalId,
});

function coverage(assignments: RoleAssignmentInfo[]) {
  const result = capabilityCoverage({
    hsmName: "contoso",
    principalId: PORTAL,
    assignments,
    definitions: DEFINITIONS,
  });
  return Object.fromEntries(result.map((c) => [c.capability.id, c]));
}

describe("capabilityCoverage", () => {
  it.each([
    {
      case: "nothing assigned",
      assignments: [],
      read: [
        "keys/read/action",
        "keys/deletedKeys/read/action",
        "roleAssignments/read/action",
        "roleDefinitions/read/action",
      ],
    },
    { case: "Crypto Auditor at /", assignments: [assignment(AUDITOR.id, "/")], read: [] },
    {
      case: "Crypto Auditor at /keys counts HSM-wide",
      assignments: [assignment(AUDITOR.id, "/keys")],
      read: [],
    },
    {
      case: "Crypto Auditor on one key only",
      assignments: [assignment(AUDITOR.id, "/keys/payments")],
      read: [
        "keys/read/action",
        "keys/deletedKeys/read/action",
        "roleAssignments/read/action",
        "roleDefinitions/read/action",
      ],
    },
    {
      case: "another principal's roles",
      assignments: [assignment(AUDITOR.id, "/", OTHER)],
      read: [
        "keys/read/action",
        "keys/deletedKeys/read/action",
        "roleAssignments/read/action",
        "roleDefinitions/read/action",
      ],
    },
    {
      case: "Crypto User lacks deleted-key reads",
      assignments: [assignment(USER.id, "/keys")],
      read: ["keys/deletedKeys/read/action"],
    },
  ])("read: $case", ({ assignments, read }) => {
    expect(coverage(assignments).read!.missing).toEqual(read);
  });

  it("expands wildcards and honours notDataActions", () => {
    const result = coverage([assignment(EVERYTHING_BUT_DELETE.id, "/keys")]);
    expect(result.keys!.missing).toEqual(["keys/delete"]);
    expect(result.keys!.grantedBy).toEqual(["Key team custom at /keys"]);
  });

  it("asks for the HSM administrator role for settings, which no data action expresses", () => {
    expect(coverage([assignment(AUDITOR.id, "/")]).settings!.missing).toEqual([
      "Managed HSM Administrator",
    ]);
    expect(coverage([assignment(ADMIN.id, "/")]).settings!.missing).toEqual([]);
  });

  it("suggests the smallest built-in role at the narrowest scope", () => {
    const result = coverage([assignment(USER.id, "/keys")]);
    expect(result.read!.fixes).toEqual([
      `az keyvault role assignment create --hsm-name contoso --role "Managed HSM Crypto Auditor" --scope /keys --assignee-object-id ${PORTAL}`,
    ]);
    expect(result.backup!.fixes).toEqual([
      `az keyvault role assignment create --hsm-name contoso --role "Managed HSM Backup" --scope / --assignee-object-id ${PORTAL}`,
    ]);
  });
});

describe("rolesToGrant", () => {
  it.each([
    { missing: ["keys/create"], roles: ["Managed HSM Crypto User"] },
    {
      missing: ["backup/start/action", "restore/start/action"],
      roles: ["Managed HSM Administrator"],
    },
    {
      missing: ["keys/deletedKeys/read/action", "backup/status/action"],
      roles: ["Managed HSM Backup", "Managed HSM Crypto Auditor"],
    },
    { missing: ["keys/export/action"], roles: [] },
  ])("$missing → $roles", ({ missing, roles }) => {
    expect(rolesToGrant(missing, DEFINITIONS).map((r) => r.roleName)).toEqual(roles);
  });
});
