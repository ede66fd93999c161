import { describe, expect, it } from "vitest";

import {
  approvalsNote,
  describeScope,
  grantItem,
  grantItemFieldOf,
  scopeOf,
  type GrantDraft,
} from "@/lib/access/grant-draft";
import { roleAssignmentCreateItem } from "@/lib/requests/item-schemas";
import { DEFAULT_POLICIES, type ApprovalPolicy } from "@/lib/requests/policy";

const ROLE = "21dbd100-6940-42c2-9190-5d6cb909625b";
const PRINCIPAL = "3243182d-1727-4605-9abd-29ce37fe0480";

const draft = (change: Partial<GrantDraft> = {}): GrantDraft => ({
  hsm: "keyward-weu",
  scope: "key",
  keyName: "payments-01",
  roleDefinitionId: ROLE,
  principalId: PRINCIPAL,
  ...change,
});

describe("scopeOf and describeScope", () => {
  it.each([
    ["hsm", "", "/", "the whole HSM"],
    ["keys", "ignored", "/keys", "every key"],
    ["key", " payments-01 ", "/keys/payments-01", "key payments-01"],
  ] as const)("%s with %j is %s, %s", (choice, key, scope, words) => {
    expect(scopeOf(choice, key)).toBe(scope);
    expect(describeScope(scope)).toBe(words);
  });
});

describe("grantItem", () => {
  it.each([
    {
      name: "one key",
      draft: draft(),
      item: { scope: "/keys/payments-01", roleDefinitionId: ROLE, principalId: PRINCIPAL },
    },
    {
      name: "the whole HSM ignores a leftover key name",
      draft: draft({ scope: "hsm", keyName: "not a name" }),
      item: { scope: "/", roleDefinitionId: ROLE, principalId: PRINCIPAL },
    },
    {
      name: "a typed object id is trimmed and lower-cased",
      draft: draft({ scope: "keys", principalId: ` ${PRINCIPAL.toUpperCase()} ` }),
      item: { scope: "/keys", roleDefinitionId: ROLE, principalId: PRINCIPAL },
    },
  ])("$name", ({ draft: given, item }) => {
    const result = grantItem(given);
    expect(result).toEqual({ item });
    expect(roleAssignmentCreateItem.safeParse(result.item).success).toBe(true);
  });

  it.each([
    {
      name: "nothing chosen",
      draft: draft({ hsm: "", keyName: "", roleDefinitionId: "", principalId: "" }),
      errors: {
        hsm: "Choose an HSM.",
        key: "The key name must be 1–127 letters, digits or hyphens.",
        role: "Choose a role.",
        principal: "Choose a principal or give an object id.",
      },
    },
    {
      name: "a key name with a space",
      draft: draft({ keyName: "payments 01" }),
      errors: { key: "The key name must be 1–127 letters, digits or hyphens." },
    },
    {
      name: "an object id that is not a GUID",
      draft: draft({ principalId: "alice@example.com" }),
      errors: { principal: "Give the principal's object id, a GUID." },
    },
    {
      name: "a role that is not a GUID (the API's schema says so)",
      draft: draft({ roleDefinitionId: "Managed HSM Crypto User" }),
      errors: { role: "This must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47." },
    },
  ])("refuses $name", ({ draft: given, errors }) => {
    expect(grantItem(given)).toEqual({ errors });
  });
});

describe("grantItemFieldOf", () => {
  it.each([
    ["scope", "hsm", "scope"],
    ["scope", "key", "key"],
    ["roleDefinitionId", "hsm", "role"],
    ["principalId", "key", "principal"],
    ["", "key", null],
    ["name", "key", null],
  ] as const)("%j (scope %s) belongs to %j", (path, scope, field) =>
    expect(grantItemFieldOf(path, scope)).toBe(field),
  );
});

describe("approvalsNote", () => {
  const policy = DEFAULT_POLICIES["role-assignment.create"];
  const strict: ApprovalPolicy = { ...policy, approvals: 3 };
  it.each([
    [policy, "/keys/payments-01", "Needs one approval."],
    [policy, "/", "Needs 2 approvals: it reaches every key of the HSM."],
    [policy, "/keys", "Needs 2 approvals: it reaches every key of the HSM."],
    [strict, "/keys/payments-01", "Needs 3 approvals."],
    [strict, "/", "Needs 3 approvals."],
    [{ ...policy, hsmWideApprovals: undefined }, "/", "Needs one approval."],
  ])("%o at %s: %s", (given, scope, words) => expect(approvalsNote(given, scope)).toBe(words));
});
