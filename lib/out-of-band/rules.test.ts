import { describe, expect, it } from "vitest";

import { describeChange } from "@/lib/out-of-band/describe";
import {
  diffSnapshots,
  explains,
  outOfBandChanges,
  type AssignmentState,
  type KeyState,
  type MirrorSnapshot,
  type ObservedChange,
  type PortalWrite,
  type RoleDefinitionState,
} from "@/lib/out-of-band/rules";

const key = (overrides: Partial<KeyState> = {}): KeyState => ({
  name: "orders",
  version: "v1",
  enabled: true,
  exportable: false,
  notBefore: null,
  expiresOn: null,
  tags: { app: "orders" },
  deleted: false,
  policy: null,
  ...overrides,
});
const assignment = (overrides: Partial<AssignmentState> = {}): AssignmentState => ({
  name: "a1",
  scope: "/keys/orders",
  roleDefinitionId: "r1",
  principalId: "p1",
  ...overrides,
});
const role = (overrides: Partial<RoleDefinitionState> = {}): RoleDefinitionState => ({
  id: "c1",
  roleName: "Signer",
  roleType: "CustomRole",
  description: "",
  dataActions: ["sign"],
  notDataActions: [],
  ...overrides,
});
const snapshot = (overrides: Partial<MirrorSnapshot> = {}): MirrorSnapshot => ({
  keys: [],
  assignments: [],
  roleDefinitions: [],
  ...overrides,
});
const summary = (changes: ObservedChange[]) =>
  changes.map((c) => `${c.subjectKind}:${c.subjectName}:${c.what}`);

describe("diffSnapshots", () => {
  it.each<[string, MirrorSnapshot, MirrorSnapshot, string[]]>([
    ["nothing changed", snapshot({ keys: [key()] }), snapshot({ keys: [key()] }), []],
    ["a key created", snapshot(), snapshot({ keys: [key()] }), ["key:orders:created"]],
    [
      "a key soft-deleted",
      snapshot({ keys: [key()] }),
      snapshot({ keys: [key({ deleted: true })] }),
      ["key:orders:deleted"],
    ],
    [
      "a deleted key purged",
      snapshot({ keys: [key({ deleted: true })] }),
      snapshot(),
      ["key:orders:purged"],
    ],
    ["a live key gone altogether", snapshot({ keys: [key()] }), snapshot(), ["key:orders:deleted"]],
    [
      "a key recovered",
      snapshot({ keys: [key({ deleted: true })] }),
      snapshot({ keys: [key()] }),
      ["key:orders:recovered"],
    ],
    [
      "a key rotated",
      snapshot({ keys: [key()] }),
      snapshot({ keys: [key({ version: "v2" })] }),
      ["key:orders:rotated"],
    ],
    [
      "a version unknown on one side is no rotation",
      snapshot({ keys: [key({ version: "" })] }),
      snapshot({ keys: [key({ version: "v2" })] }),
      [],
    ],
    [
      "attributes and tags changed",
      snapshot({ keys: [key()] }),
      snapshot({ keys: [key({ enabled: false, tags: { app: "orders", tier: "1" } })] }),
      ["key:orders:attributes", "key:orders:tags"],
    ],
    [
      "tags in another order are the same tags",
      snapshot({ keys: [key({ tags: { a: "1", b: "2" } })] }),
      snapshot({ keys: [key({ tags: { b: "2", a: "1" } })] }),
      [],
    ],
    [
      "a rotation policy set",
      snapshot({ keys: [key()] }),
      snapshot({ keys: [key({ policy: '{"lifetimeActions":[]}' })] }),
      ["key:orders:rotation-policy"],
    ],
    [
      "an assignment added and one removed",
      snapshot({ assignments: [assignment()] }),
      snapshot({ assignments: [assignment({ name: "a2", scope: "/" })] }),
      ["assignment:a1:removed", "assignment:a2:added"],
    ],
    [
      "a custom role changed, one added; built-in roles ignored",
      snapshot({ roleDefinitions: [role(), role({ id: "b1", roleType: "AKVBuiltInRole" })] }),
      snapshot({
        roleDefinitions: [
          role({ dataActions: ["sign", "verify"] }),
          role({ id: "c2" }),
          role({ id: "b2", roleType: "AKVBuiltInRole" }),
        ],
      }),
      ["role-definition:c1:changed", "role-definition:c2:added"],
    ],
  ])("%s", (_, before, after, expected) => {
    expect(summary(diffSnapshots(before, after))).toEqual(expected);
  });

  it("keeps only what changed in before and after, and the key a key-scoped assignment is on", () => {
    const [attributes, tags] = diffSnapshots(
      snapshot({ keys: [key()] }),
      snapshot({ keys: [key({ expiresOn: 5, tags: { app: "x" } })] }),
    );
    expect(attributes).toMatchObject({ before: { expiresOn: null }, after: { expiresOn: 5 } });
    expect(tags).toMatchObject({
      before: { tags: { app: "orders" } },
      after: { tags: { app: "x" } },
    });
    const [added] = diffSnapshots(snapshot(), snapshot({ assignments: [assignment()] }));
    expect(added).toMatchObject({
      keyLower: "orders",
      before: null,
      after: { scope: "/keys/orders", roleDefinitionId: "r1", principalId: "p1" },
    });
  });
});

const change = (
  subjectKind: ObservedChange["subjectKind"],
  subjectName: string,
  what: ObservedChange["what"],
): ObservedChange => ({
  subjectKind,
  subjectName,
  keyLower: null,
  what,
  before: null,
  after: null,
});

describe("explains", () => {
  it.each<[string, PortalWrite, ObservedChange, boolean]>([
    [
      "key.update explains tags",
      { kind: "key.update", target: { key: "Orders" } },
      change("key", "orders", "tags"),
      true,
    ],
    [
      "key.update does not explain a rotation",
      { kind: "key.update", target: { key: "orders" } },
      change("key", "orders", "rotated"),
      false,
    ],
    [
      "key.update of another key",
      { kind: "key.update", target: { key: "billing" } },
      change("key", "orders", "tags"),
      false,
    ],
    [
      "key.rotate explains the new version",
      { kind: "key.rotate", target: { key: "orders" } },
      change("key", "orders", "rotated"),
      true,
    ],
    [
      "key.create explains a creation",
      { kind: "key.create", target: { key: "orders" } },
      change("key", "orders", "created"),
      true,
    ],
    [
      "key.delete explains a deletion",
      { kind: "key.delete", target: { key: "orders" } },
      change("key", "orders", "deleted"),
      true,
    ],
    [
      "key.delete does not explain a purge",
      { kind: "key.delete", target: { key: "orders" } },
      change("key", "orders", "purged"),
      false,
    ],
    [
      "restore.full explains anything",
      { kind: "restore.full", target: { backup: "b" } },
      change("assignment", "a1", "added"),
      true,
    ],
    [
      "an assignment the portal made",
      { kind: "role-assignment.create", target: { scope: "/", name: "a1" } },
      change("assignment", "a1", "added"),
      true,
    ],
    [
      "another assignment",
      { kind: "role-assignment.create", target: { scope: "/", name: "a2" } },
      change("assignment", "a1", "added"),
      false,
    ],
    [
      "an assignment the portal revoked",
      { kind: "role-assignment.delete", target: { scope: "/", name: "a1" } },
      change("assignment", "a1", "removed"),
      true,
    ],
    [
      "a grant the expiry job ended",
      { kind: "grant.expire", target: { name: "a1" } },
      change("assignment", "a1", "removed"),
      true,
    ],
    [
      "a revocation does not explain an addition",
      { kind: "role-assignment.delete", target: { name: "a1" } },
      change("assignment", "a1", "added"),
      false,
    ],
    [
      "a custom role the portal changed",
      { kind: "role-definition.upsert", target: { role: "c1" } },
      change("role-definition", "c1", "changed"),
      true,
    ],
    [
      "a custom role the portal deleted",
      { kind: "role-definition.delete", target: { role: "c1" } },
      change("role-definition", "c1", "removed"),
      true,
    ],
    [
      "a key kind says nothing of roles",
      { kind: "key.update", target: { key: "c1" } },
      change("role-definition", "c1", "changed"),
      false,
    ],
    [
      "a setting the portal changed",
      { kind: "setting.update", target: { setting: "AllowKeyManagementOperationsThroughARM" } },
      change("setting", "allowkeymanagementoperationsthrougharm", "changed"),
      true,
    ],
  ])("%s", (_, write, observed, expected) => {
    expect(explains(write, observed)).toBe(expected);
  });
});

describe("outOfBandChanges", () => {
  it("keeps what no portal write accounts for", () => {
    const changes = [
      change("key", "orders", "tags"),
      change("key", "orders", "rotated"),
      change("assignment", "a1", "added"),
    ];
    const left = outOfBandChanges(changes, [
      { kind: "key.rotate", target: { key: "orders" } },
      { kind: "role-assignment.create", target: { scope: "/", name: "a9" } },
    ]);
    expect(summary(left)).toEqual(["key:orders:tags", "assignment:a1:added"]);
  });

  it("says each change in words", () => {
    expect(describeChange(change("key", "orders", "tags"))).toBe("key orders: tags changed");
    expect(describeChange(change("assignment", "a1", "added"))).toBe("role assignment a1: added");
  });
});
