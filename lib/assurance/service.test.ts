import { afterEach, describe, expect, it } from "vitest";

import { backupRunsSince, complianceKeys } from "@/lib/assurance/service";
import type { Db } from "@/lib/db/client";
import type { BackupRunState } from "@/lib/db/schema/backup/table";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

const DAY = 86_400_000;
const NOW = Date.parse("2026-06-15T12:00:00Z");
const SINCE = NOW - 30 * DAY;
const rotate90 = {
  lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null }],
  expiresIn: "P1Y",
  createdOn: null,
  updatedOn: null,
};

function keyRow(hsm: string, name: string, changes: { deleted?: number; policy?: object | null }) {
  const created = NOW - 100 * DAY;
  return {
    hsm,
    name_lower: name,
    name,
    version: `${name}-v2`,
    kty: "EC-HSM",
    family: "EC" as const,
    key_size: null,
    curve: "P-256",
    key_ops: "[]",
    enabled: 1 as const,
    exportable: 0 as const,
    managed: 0 as const,
    not_before: null,
    expires_at: created + 365 * DAY,
    created_at: created,
    updated_at: created,
    recovery_level: null,
    tags: "{}",
    owner: null,
    version_count: 2,
    policy: changes.policy === null ? null : JSON.stringify(changes.policy ?? rotate90),
    policy_state: changes.policy === null ? ("none" as const) : ("rotates" as const),
    next_rotation_at: null,
    deleted_at: changes.deleted ?? null,
    scheduled_purge_at: null,
    recovery_id: null,
    detail_synced_at: created,
    attributes_read_at: created,
    search: name,
  };
}

function runRow(id: string, state: BackupRunState, at: { started?: number; due?: number }) {
  const created = at.started ?? at.due ?? NOW;
  return {
    id,
    hsm: "weu",
    trigger: "schedule" as const,
    schedule_name: "nightly",
    scheduled_for: at.due ?? null,
    requested_by: null,
    state,
    container_url: "https://backups.example/weu",
    job_id: null,
    status_url: null,
    folder_url: null,
    error: null,
    started_at: at.started ?? null,
    finished_at: null,
    catalogued_at: null,
    folder_deleted_at: null,
    created_at: created,
    updated_at: created,
  };
}

describe.each(availableDialects())("the assurance reads on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;

  afterEach(async () => {
    await database.dispose();
  });

  async function open() {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
  }

  it("reads the HSMs' keys live in the window, policies parsed, times as numbers", async () => {
    await open();
    await db
      .insertInto("inventory_key")
      .values([
        keyRow("weu", "live", {}),
        keyRow("weu", "no-policy", { policy: null }),
        keyRow("weu", "deleted-in-window", { deleted: SINCE + DAY }),
        keyRow("weu", "deleted-before", { deleted: SINCE - DAY }),
        keyRow("neu", "other-hsm", {}),
        keyRow("elsewhere", "not-asked", {}),
      ])
      .execute();
    const keys = await complianceKeys(db, ["weu", "neu"], SINCE);
    const byName = (deletedAt: number | null, hsm: string, policy: boolean) => ({
      hsm,
      policy: policy
        ? { lifetimeActions: rotate90.lifetimeActions, expiresIn: rotate90.expiresIn }
        : null,
      createdAt: NOW - 100 * DAY,
      expiresAt: NOW + 265 * DAY,
      versionCount: 2,
      deletedAt,
    });
    expect(keys).toHaveLength(4);
    expect(keys).toEqual(
      expect.arrayContaining([
        byName(null, "weu", true),
        byName(null, "weu", false),
        byName(SINCE + DAY, "weu", true),
        byName(null, "neu", true),
      ]),
    );
    expect(await complianceKeys(db, [], SINCE)).toEqual([]);
  });

  it("refuses a policy the mirror holds in a shape the maths cannot read", async () => {
    await open();
    await db
      .insertInto("inventory_key")
      .values({ ...keyRow("weu", "odd", {}), policy: JSON.stringify({ lifetimeActions: "no" }) })
      .execute();
    await expect(complianceKeys(db, ["weu"], SINCE)).rejects.toThrow();
  });

  it("reads the runs started, or due when missed, from the window's start on", async () => {
    await open();
    await db
      .insertInto("backup_run")
      .values([
        runRow("good", "succeeded", { started: SINCE + DAY, due: SINCE - DAY }),
        runRow("at-start", "failed", { started: SINCE }),
        runRow("before", "succeeded", { started: SINCE - 1 }),
        runRow("missed-in", "missed", { due: SINCE + 2 * DAY }),
        runRow("missed-before", "missed", { due: SINCE - 2 * DAY }),
      ])
      .execute();
    const runs = await backupRunsSince(db, SINCE);
    expect(runs.map((run) => [run.state, run.startedAt, run.scheduledFor]).sort()).toEqual(
      [
        ["succeeded", SINCE + DAY, SINCE - DAY],
        ["failed", SINCE, null],
        ["missed", null, SINCE + 2 * DAY],
      ].sort(),
    );
    expect(runs.every((run) => run.hsm === "weu" && typeof run.createdAt === "number")).toBe(true);
  });
});
