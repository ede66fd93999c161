import { describe, expect, it } from "vitest";

import {
  approvalPolicyInWords,
  describeChange,
  rotationPolicyInWords,
  scopeInWords,
} from "@/lib/requests/describe-change";
import type { RequestKind } from "@/lib/requests/kinds";
import { DEFAULT_POLICIES } from "@/lib/requests/policy";
import type { KeyState, TargetState } from "@/lib/requests/target-state";

const KEY: KeyState = {
  version: "a1b2c3d4",
  enabled: true,
  notBefore: null,
  expiresOn: Date.UTC(2027, 0, 1),
  tags: { app: "orders", owner: "payments-team" },
  keyOps: ["verify", "sign"],
};
const PRINCIPAL = "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe";
const ROLE = "21dbd100-6940-42c2-9190-5d6cb909625b";
const NAMES = {
  principal: (id: string) => (id === PRINCIPAL ? "Payments API" : undefined),
  role: (id: string) => (id === ROLE ? "Managed HSM Crypto User" : undefined),
};
const GROUP = { id: "6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", name: "Key approvers" };
const ROTATE_90_EXPIRE_1Y = {
  lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
  expiresIn: "P1Y",
};

describe("describeChange", () => {
  it.each<[string, RequestKind, Record<string, unknown>, TargetState | null, string[]]>([
    [
      "a tag's new value",
      "key.update",
      { key: "k", tags: { app: "payments", owner: "payments-team" } },
      { key: KEY },
      ["tags app: orders → payments"],
    ],
    [
      "tags added and removed",
      "key.update",
      { key: "k", tags: { app: "orders", env: "prod" } },
      { key: KEY },
      ["tags env: (none) → prod", "tags owner: payments-team → (removed)"],
    ],
    [
      "the same tags",
      "key.update",
      { key: "k", tags: { owner: "payments-team", app: "orders" } },
      { key: KEY },
      ["tags: unchanged"],
    ],
    [
      "disabling, an expiry and operations",
      "key.update",
      { key: "k", enabled: false, expiresOn: "2027-06-30T12:30:00Z", keyOps: ["sign"] },
      { key: KEY },
      [
        "enabled: yes → no",
        "expires: 1 Jan 2027 → 30 Jun 2027, 12:30 UTC",
        "operations: sign, verify → sign",
      ],
    ],
    [
      "an expiry cleared and a start date set",
      "key.update",
      { key: "k", expiresOn: null, notBefore: "2027-02-01T00:00:00Z" },
      { key: KEY },
      ["valid from: immediately → 1 Feb 2027", "expires: 1 Jan 2027 → never"],
    ],
    [
      "enabling an enabled key",
      "key.update",
      { key: "k", enabled: true },
      { key: KEY },
      ["enabled: yes (unchanged)"],
    ],
    [
      "a rotation policy where there was none",
      "key.rotation-policy",
      { key: "k", policy: ROTATE_90_EXPIRE_1Y },
      { key: KEY, policy: null },
      ["rotation policy: rotate 90 days after creation, versions expire after 1 year (was: none)"],
    ],
    [
      "a rotation policy replaced",
      "key.rotation-policy",
      {
        key: "k",
        policy: {
          lifetimeActions: [
            { action: "Rotate", timeBeforeExpiry: "P30D" },
            { action: "Notify", timeBeforeExpiry: "P7D" },
          ],
          expiresIn: "P2Y",
        },
      },
      {
        key: KEY,
        policy: {
          lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null }],
          expiresIn: "P1Y",
        },
      },
      [
        "rotation policy: rotate 30 days before expiry, notify 7 days before expiry, versions expire after 2 years (was: rotate 90 days after creation, versions expire after 1 year)",
      ],
    ],
    [
      "the same rotation policy",
      "key.rotation-policy",
      { key: "k", policy: ROTATE_90_EXPIRE_1Y },
      {
        key: KEY,
        policy: {
          lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null }],
          expiresIn: "P1Y",
        },
      },
      ["rotation policy: rotate 90 days after creation, versions expire after 1 year (unchanged)"],
    ],
    [
      "a new EC key with tags",
      "key.create",
      { key: "k", kty: "EC", curve: "P-256", tags: { app: "orders" }, enabled: false },
      { key: null, deleted: null },
      ["create an EC key on curve P-256", "enabled: no", "tags app: orders"],
    ],
    [
      "a new AES key, exportable",
      "key.create",
      { key: "k", kty: "oct", size: 256, exportable: true },
      null,
      ["create an AES 256-bit key", "exportable: yes"],
    ],
    [
      "an imported RSA key (its private members are never in the change)",
      "key.import",
      { key: "k", jwk: { kty: "RSA", n: "abc", e: "AQAB" } },
      null,
      ["import an RSA key"],
    ],
    [
      "rotating now",
      "key.rotate",
      { key: "k" },
      { key: KEY },
      ["rotate now: a new version replaces version a1b2c3d4"],
    ],
    [
      "deleting",
      "key.delete",
      { key: "k" },
      { key: KEY },
      ["delete the key: it can be recovered until it is purged"],
    ],
    [
      "purging",
      "key.purge",
      { key: "k" },
      {
        key: null,
        deleted: { recoveryLevel: "Recoverable+Purgeable", scheduledPurgeOn: Date.UTC(2027, 2, 1) },
      },
      ["purge the deleted key for good: it cannot be recovered (otherwise purged on 1 Mar 2027)"],
    ],
    [
      "granting a role, with names",
      "role-assignment.create",
      {
        scope: "/keys/payments-signing",
        roleDefinitionId: ROLE,
        principalId: PRINCIPAL,
        name: "x",
      },
      { assignment: null },
      ["grant Managed HSM Crypto User to Payments API at key payments-signing"],
    ],
    [
      "revoking a role, ids unknown to the directory",
      "role-assignment.delete",
      { name: "f00", scope: "/" },
      {
        assignment: {
          scope: "/",
          roleDefinitionId: "11111111-1111-4111-8111-111111111111",
          principalId: "22222222-2222-4222-8222-222222222222",
        },
      },
      [
        "revoke role 11111111-1111-4111-8111-111111111111 from 22222222-2222-4222-8222-222222222222 at the whole HSM (/)",
      ],
    ],
    [
      "changing a custom role's actions",
      "role-definition.upsert",
      {
        name: "r",
        roleName: "Card key operator",
        dataActions: [
          "Microsoft.KeyVault/managedHsm/keys/read/action",
          "Microsoft.KeyVault/managedHsm/keys/sign/action",
        ],
        notDataActions: [],
      },
      {
        definition: {
          roleName: "Card key operator",
          roleType: "CustomRole",
          dataActions: [
            "Microsoft.KeyVault/managedHsm/keys/read/action",
            "Microsoft.KeyVault/managedHsm/keys/deletedKeys/recover/action",
          ],
          notDataActions: [],
        },
      },
      [
        "change custom role: Card key operator (unchanged)",
        "allowed actions: added keys/sign/action; removed keys/deletedKeys/recover/action",
      ],
    ],
    [
      "a new custom role",
      "role-definition.upsert",
      {
        name: "r",
        roleName: "Signer",
        dataActions: ["Microsoft.KeyVault/managedHsm/keys/sign/action"],
        notDataActions: ["Microsoft.KeyVault/managedHsm/keys/delete"],
      },
      { definition: null },
      [
        "create custom role Signer",
        "allowed actions: keys/sign/action",
        "denied actions: keys/delete",
      ],
    ],
    [
      "an HSM setting",
      "setting.update",
      { name: "AllowKeyManagementOperationsThroughARM", value: "true" },
      { setting: { value: "false", type: "boolean" } },
      ["setting AllowKeyManagementOperationsThroughARM: false → true"],
    ],
    [
      "an approval policy",
      "policy.update",
      {
        kind: "key.delete",
        policy: { approvals: 3, group: GROUP, windowHours: 24 },
      },
      { approvalPolicy: DEFAULT_POLICIES["key.delete"] },
      [
        "approval policy of “Delete a key”: 2 distinct approvers, within 72 hours → 3 distinct approvers from the group Key approvers, within 24 hours",
      ],
    ],
    [
      "a new backup schedule",
      "backup-schedule.upsert",
      {
        name: "nightly",
        cron: "0 2 * * *",
        timeZone: "Europe/Berlin",
        container: "https://contoso.blob.core.windows.net/hsm-backups",
        auth: "sas",
        retention: { keepLast: 14, maxAgeDays: 30 },
        paused: false,
      },
      { schedule: null },
      [
        "new schedule nightly: back up at 02:00, every day (Europe/Berlin) into https://contoso.blob.core.windows.net/hsm-backups with a SAS minted for each run, keep the last 14 and everything younger than 30 days",
      ],
    ],
    [
      "a backup schedule to delete",
      "backup-schedule.delete",
      { name: "weekly" },
      null,
      ["delete schedule weekly"],
    ],
  ])("%s", (_, kind, change, before, expected) => {
    expect(describeChange(kind, change, before, NAMES)).toEqual(expected);
  });
});

describe("restores in words", () => {
  const backup = {
    runId: "5f0c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    hsm: "payments",
    state: "succeeded",
    folderUrl: "https://acct.blob.core.windows.net/nightly/mhsm-payments-20261203020000000",
    finishedAt: Date.UTC(2026, 11, 3, 2, 0),
    folderDeletedAt: null,
    catalogued: true,
  };
  it.each<[string, RequestKind, Record<string, unknown>, TargetState | null, string[]]>([
    [
      "a key with the versions the catalogue holds",
      "restore.key",
      { backupRunId: backup.runId, key: "orders" },
      { key: null, deleted: null, backup: { ...backup, versions: ["v1", "v2", "v3"] } },
      [
        "restore key orders with 3 versions from backup run 5f0c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d (finished 3 Dec 2026, 02:00 UTC)",
      ],
    ],
    [
      "a key whose state was not read",
      "restore.key",
      { backupRunId: backup.runId, key: "orders" },
      null,
      [
        "restore key orders with all its versions from backup run 5f0c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      ],
    ],
    [
      "the whole HSM, after a safety backup",
      "restore.full",
      { backupRunId: backup.runId },
      { backup },
      [
        "first back up the HSM as it is now (a safety backup)",
        "then replace every key, role assignment and custom role of the HSM with those of backup run 5f0c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d (finished 3 Dec 2026, 02:00 UTC)",
      ],
    ],
  ])("%s", (_, kind, change, before, lines) => {
    expect(describeChange(kind, change, before)).toEqual(lines);
  });

  it("needs one approval to restore a key and two to restore the whole HSM", () => {
    expect(DEFAULT_POLICIES["restore.key"].approvals).toBe(1);
    expect(DEFAULT_POLICIES["restore.full"].approvals).toBe(2);
  });
});

describe("the approval policy in words", () => {
  it.each([
    [DEFAULT_POLICIES["key.rotate"], undefined, "1 distinct approver, within 72 hours"],
    [
      DEFAULT_POLICIES["role-assignment.create"],
      undefined,
      "1 distinct approver (2 for role assignments at / or /keys), within 72 hours",
    ],
    [DEFAULT_POLICIES["role-assignment.create"], 2, "2 distinct approvers, within 72 hours"],
    [
      { approvals: 2, group: GROUP, windowHours: 1 },
      undefined,
      "2 distinct approvers from the group Key approvers, within 1 hour",
    ],
  ])("%j (%s required)", (policy, required, expected) => {
    expect(approvalPolicyInWords(policy, required)).toBe(expected);
  });
});

describe("scopes and rotation policies in words", () => {
  it.each([
    ["/", "the whole HSM (/)"],
    ["/keys", "every key (/keys)"],
    ["/keys/payments", "key payments"],
  ])("%s → %s", (scope, expected) => {
    expect(scopeInWords(scope)).toBe(expected);
  });

  it.each([
    [null, "none"],
    [
      { lifetimeActions: [], expiresIn: "P2Y" },
      "no automatic rotation, versions expire after 2 years",
    ],
    [
      { lifetimeActions: [{ action: "Notify", timeBeforeExpiry: "P30D" }] },
      "no automatic rotation, notify 30 days before expiry",
    ],
  ])("%j → %s", (policy, expected) => {
    expect(rotationPolicyInWords(policy)).toBe(expected);
  });
});
