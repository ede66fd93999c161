import { describe, expect, it } from "vitest";

import type { AnyItem, RequestKind } from "@/lib/requests/kinds";
import { filingRefusal, isApplied, stateHash, type TargetState } from "@/lib/requests/target-state";

/*
 * The staleness hash and the "does the HSM already hold it?" check the executor makes after a
 * write whose outcome is unknown: each kind against what the HSM reads back.
 */

const KEY = {
  version: "v1",
  enabled: true,
  notBefore: null,
  expiresOn: Date.parse("2030-01-01T00:00:00Z"),
  tags: { app: "orders" },
  keyOps: ["sign", "verify"],
};
const item = (value: Record<string, unknown>) => value as AnyItem;
const NIGHTLY = {
  name: "nightly",
  cron: "0 2 * * *",
  timeZone: "UTC",
  container: "https://contoso.blob.core.windows.net/hsm-backups",
  auth: "sas",
  retention: { keepLast: 7 },
  paused: false,
};
const NIGHTLY_STATE = {
  cron: "0 2 * * *",
  timeZone: "UTC",
  container: "https://contoso.blob.core.windows.net/hsm-backups",
  auth: "sas" as const,
  retention: { keepLast: 7, maxAgeDays: null },
  paused: false,
};

describe("whether the HSM already holds a change", () => {
  it.each<[string, RequestKind, Record<string, unknown>, TargetState, TargetState, boolean]>([
    ["a created key", "key.create", { key: "k" }, { key: null }, { key: KEY }, true],
    ["a key not created", "key.create", { key: "k" }, { key: null }, { key: null }, false],
    [
      "an expiry to the second",
      "key.update",
      { key: "k", expiresOn: "2030-01-01T00:00:00.400Z" },
      { key: KEY },
      { key: KEY },
      true,
    ],
    [
      "another expiry",
      "key.update",
      { key: "k", expiresOn: "2031-01-01T00:00:00Z" },
      { key: KEY },
      { key: KEY },
      false,
    ],
    [
      "key ops in another order",
      "key.update",
      { key: "k", keyOps: ["verify", "sign"] },
      { key: KEY },
      { key: KEY },
      true,
    ],
    [
      "tags replaced",
      "key.update",
      { key: "k", tags: { app: "billing" } },
      { key: KEY },
      { key: { ...KEY, tags: { app: "billing" } } },
      true,
    ],
    [
      "a rotation",
      "key.rotate",
      { key: "k" },
      { key: KEY },
      { key: { ...KEY, version: "v2" } },
      true,
    ],
    ["no rotation", "key.rotate", { key: "k" }, { key: KEY }, { key: KEY }, false],
    [
      "a rotation policy",
      "key.rotation-policy",
      {
        key: "k",
        policy: {
          lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
          expiresIn: "P1Y",
        },
      },
      { key: KEY, policy: null },
      {
        key: KEY,
        policy: {
          lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null }],
          expiresIn: "P1Y",
        },
      },
      true,
    ],
    [
      "a policy cleared, read back as none",
      "key.rotation-policy",
      { key: "k", policy: { lifetimeActions: [] } },
      { key: KEY },
      { key: KEY, policy: null },
      true,
    ],
    [
      "a custom role with its not-actions",
      "role-definition.upsert",
      {
        name: "r",
        roleName: "Reader",
        description: "",
        dataActions: ["a", "b"],
        notDataActions: ["c"],
      },
      { definition: null },
      {
        definition: {
          roleName: "Reader",
          roleType: "CustomRole",
          dataActions: ["b", "a"],
          notDataActions: ["c"],
        },
      },
      true,
    ],
    [
      "a custom role still without its not-actions",
      "role-definition.upsert",
      { name: "r", roleName: "Reader", description: "", dataActions: ["a"], notDataActions: ["c"] },
      {
        definition: {
          roleName: "Reader",
          roleType: "CustomRole",
          dataActions: ["a"],
          notDataActions: [],
        },
      },
      {
        definition: {
          roleName: "Reader",
          roleType: "CustomRole",
          dataActions: ["a"],
          notDataActions: [],
        },
      },
      false,
    ],
    [
      "a purged key",
      "key.purge",
      { key: "k" },
      { key: null, deleted: { recoveryLevel: "Recoverable+Purgeable", scheduledPurgeOn: null } },
      { key: null, deleted: null },
      true,
    ],
    [
      "a setting",
      "setting.update",
      { name: "s", value: "true" },
      { setting: { value: "false", type: "boolean" } },
      { setting: { value: "true", type: "boolean" } },
      true,
    ],
    [
      "a schedule as asked",
      "backup-schedule.upsert",
      NIGHTLY,
      { schedule: null },
      { schedule: NIGHTLY_STATE },
      true,
    ],
    [
      "a schedule not as asked",
      "backup-schedule.upsert",
      { ...NIGHTLY, paused: true },
      { schedule: null },
      { schedule: NIGHTLY_STATE },
      false,
    ],
    [
      "a deleted schedule",
      "backup-schedule.delete",
      { name: "nightly" },
      { schedule: NIGHTLY_STATE },
      { schedule: null },
      true,
    ],
  ])("%s", (_, kind, change, before, now, applied) => {
    expect(isApplied(kind, item(change), before, now)).toBe(applied);
  });
});

describe("the staleness hash", () => {
  it("does not depend on the order of members", () => {
    expect(stateHash({ key: { ...KEY, tags: { a: "1", b: "2" } } })).toBe(
      stateHash({ key: { ...KEY, tags: { b: "2", a: "1" } } }),
    );
  });
  it("changes with any relevant member", () => {
    expect(stateHash({ key: KEY })).not.toBe(stateHash({ key: { ...KEY, enabled: false } }));
  });
});

describe("what cannot be filed", () => {
  it.each<[string, RequestKind, TargetState, string | null]>([
    ["a key that exists", "key.create", { key: KEY, deleted: null }, "conflict"],
    [
      "a name a deleted key holds",
      "key.create",
      { key: null, deleted: { recoveryLevel: "Recoverable", scheduledPurgeOn: null } },
      "conflict",
    ],
    ["a rotation without a policy", "key.rotate", { key: KEY, policy: null }, "conflict"],
    [
      "a purge under purge protection",
      "key.purge",
      { key: null, deleted: { recoveryLevel: "Recoverable", scheduledPurgeOn: null } },
      "conflict",
    ],
    [
      "a purgeable key",
      "key.purge",
      { key: null, deleted: { recoveryLevel: "Recoverable+Purgeable", scheduledPurgeOn: null } },
      null,
    ],
    ["an update of no key", "key.update", { key: null }, "not_found"],
    ["a new schedule", "backup-schedule.upsert", { schedule: null }, null],
    ["a schedule to delete", "backup-schedule.delete", { schedule: NIGHTLY_STATE }, null],
  ])("%s", (_, kind, state, code) => {
    expect(filingRefusal(kind, item({ key: "k" }), state, "weu")?.code ?? null).toBe(code);
  });

  it("refuses deleting a schedule that is not there, in words", () => {
    expect(
      filingRefusal("backup-schedule.delete", item({ name: "hourly" }), { schedule: null }, "weu"),
    ).toEqual({ code: "not_found", reason: "HSM weu has no backup schedule named hourly." });
  });
});
