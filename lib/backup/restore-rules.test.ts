import { describe, expect, it } from "vitest";

import { FULL_RESTORE_WARNING, restoreRefusal } from "@/lib/backup/restore-rules";
import { kindWarning } from "@/lib/requests/describe-change";
import type { RestoreSource, TargetState } from "@/lib/requests/target-state";

/* Filing a restore: every refusal in words, and what may be filed. */

const RUN = "5f0c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const FINISHED = Date.UTC(2026, 11, 3, 2, 0, 0);
const GOOD: RestoreSource = {
  runId: RUN,
  hsm: "payments",
  state: "succeeded",
  folderUrl: "https://acct.blob.core.windows.net/nightly/mhsm-payments-20261203020000000",
  finishedAt: FINISHED,
  folderDeletedAt: null,
  catalogued: true,
  versions: ["v1", "v2"],
};
const LATER = FINISHED + 3_600_000;
const absentKey = { key: null, deleted: null };
const KEY_STATE = {
  version: "v2",
  enabled: true,
  notBefore: null,
  expiresOn: null,
  tags: {},
  keyOps: ["sign"],
};

describe("filing restore.key", () => {
  it.each<[string, TargetState, RegExp | null]>([
    ["a gone key held by a good catalogued run", { ...absentKey, backup: GOOD }, null],
    ["no such run", { ...absentKey, backup: null }, /^There is no backup run 5f0c/],
    [
      "a run of another HSM",
      { ...absentKey, backup: { ...GOOD, hsm: "orders" } },
      /is a backup of HSM orders, not of payments\./,
    ],
    [
      "a run that failed",
      { ...absentKey, backup: { ...GOOD, state: "failed" } },
      /did not succeed \(it is failed\)/,
    ],
    [
      "a run whose folder retention deleted",
      { ...absentKey, backup: { ...GOOD, folderDeletedAt: Date.UTC(2026, 11, 20, 2, 5) } },
      /was deleted by retention on 20 Dec 2026, 02:05 UTC/,
    ],
    [
      "a run without a catalogue",
      { ...absentKey, backup: { ...GOOD, catalogued: false } },
      /has no catalogue, so the portal cannot tell whether it holds key orders/,
    ],
    [
      "a run whose catalogue does not hold the key",
      { ...absentKey, backup: { ...GOOD, versions: null } },
      /does not hold a key named orders\./,
    ],
    [
      "a key that exists",
      { key: KEY_STATE, deleted: null, backup: GOOD },
      /Key orders exists in HSM payments: only a key that is gone/,
    ],
    [
      "a key that is deleted and recoverable",
      {
        key: null,
        deleted: { recoveryLevel: "Recoverable+Purgeable", scheduledPurgeOn: Date.UTC(2027, 2, 1) },
        backup: GOOD,
      },
      /^Key orders exists \(deleted, recoverable until 1 Mar 2027, 00:00 UTC\) — recover it instead or purge it first\.$/,
    ],
  ])("%s", (_, state, refusal) => {
    const refused = restoreRefusal(
      "restore.key",
      { backupRunId: RUN, key: "orders" },
      state,
      "payments",
      LATER,
    );
    if (refusal === null) expect(refused).toBeNull();
    else expect(refused?.reason).toMatch(refusal);
  });
});

describe("filing restore.full", () => {
  it.each<[string, RestoreSource | null, number, RegExp | null]>([
    ["a good run older than 30 minutes", GOOD, FINISHED + 30 * 60_000, null],
    [
      "a good run 29 minutes old, with the time it becomes possible",
      GOOD,
      FINISHED + 29 * 60_000,
      /finished at 3 Dec 2026, 02:00 UTC; Managed HSM restores a backup only once it is 30 minutes old: file this restore from 3 Dec 2026, 02:30 UTC\./,
    ],
    ["no such run", null, LATER, /^There is no backup run/],
    ["a run of another HSM", { ...GOOD, hsm: "orders" }, LATER, /not of payments/],
    ["a missed run", { ...GOOD, state: "missed", folderUrl: null }, LATER, /it is missed/],
    [
      "a run whose folder is gone",
      { ...GOOD, folderDeletedAt: LATER },
      LATER,
      /deleted by retention/,
    ],
    [
      "a run without a catalogue (a full restore does not need one)",
      { ...GOOD, catalogued: false },
      LATER,
      null,
    ],
  ])("%s", (_, backup, now, refusal) => {
    const refused = restoreRefusal(
      "restore.full",
      { backupRunId: RUN },
      { backup },
      "payments",
      now,
    );
    if (refusal === null) expect(refused).toBeNull();
    else expect(refused?.reason).toMatch(refusal);
  });

  it("warns on the request page of a full restore, and of no other kind", () => {
    expect(kindWarning("restore.full")).toBe(FULL_RESTORE_WARNING);
    expect(FULL_RESTORE_WARNING).toBe(
      "While a full restore runs, the HSM's data plane is unavailable: every application using it fails until it ends. The HSM is first backed up (a safety backup). The backup must be older than 30 minutes.",
    );
    expect(kindWarning("restore.key")).toBeNull();
    expect(kindWarning("key.purge")).toBeNull();
  });
});
