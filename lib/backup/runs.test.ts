import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { applyRetention } from "@/lib/backup/apply-retention";
import { backupsHoldingKey, catalogueOf } from "@/lib/backup/catalogue-store";
import type { BackupDeps } from "@/lib/backup/deps";
import { resumeRuns } from "@/lib/backup/resume";
import { recordMissed, runBackup, startBackupRun } from "@/lib/backup/runner";
import { getBackupRun, insertRunningRun, saveOperation, type BackupRun } from "@/lib/backup/runs";
import {
  BACKUP_ACCESS,
  backupDepsOn,
  heldByHsm,
  KIM,
  startBackupStack,
  type BackupStack,
} from "@/lib/backup/testing/backup-stack";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { isAppError } from "@/lib/errors";
import { followOperation, startBackup } from "@/lib/hsm/backup";
import type { HsmHandle } from "@/lib/hsm/handle";
import { upsertRoleDefinition } from "@/lib/hsm/rbac-writes";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { portalHandle, refusal } from "@/lib/requests/testing/fixture";
import { backupContainer } from "@/lib/storage/backup-container";
import { AZURITE_ACCOUNT } from "@/scripts/lib/azurite";

/*
 * Backup runs against the emulator and Azurite with the real SDKs, on SQLite and (when
 * TEST_DATABASE_URL is set) PostgreSQL: a manual run whose catalogue equals what the HSM holds,
 * pre-check and busy-HSM failures recorded in words, one run per HSM however many callers,
 * runs a stopped portal left behind followed or marked interrupted, retention deleting only
 * what it should, and "which backups hold key X".
 */

const dialects = availableDialects();
const DAY = 86_400_000;
let env: BackupStack;

beforeAll(async () => {
  env = await startBackupStack("backups", (d) => [`nightly-${d}`]);
}, 60_000);
afterAll(() => env?.close());

describe.each(dialects)("backup runs on %s", (dialect) => {
  const hsm = `backups-${dialect}`;
  const containerUrl = () => `${env.blobEndpoint}/nightly-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  const depsOn = (client: Db, overrides: Partial<BackupDeps> = {}): BackupDeps => ({
    ...backupDepsOn(client, handle, containerUrl()),
    ...overrides,
  });
  const deps = () => depsOn(db);
  const manual = { hsm, trigger: "manual" as const, actor: KIM };
  const runCount = async () =>
    Number(
      (
        await db
          .selectFrom("backup_run")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("hsm", "=", hsm)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const eventsOf = async (runId: string) =>
    (await db.selectFrom("audit_event").selectAll().where("action", "like", "backup.%").execute())
      .filter((e) => (JSON.parse(e.target) as { run?: string }).run === runId)
      .map((e) => ({ action: e.action, outcome: e.outcome }));

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(env.stack, hsm, { concurrency: 8 });
    const { keys } = handle.background;
    await keys.createEcKey("orders", { hsm: true, curve: "P-256" });
    await keys.createEcKey("orders", { hsm: true, curve: "P-256" });
    await keys.createRsaKey("payments", { hsm: true, keySize: 2048, tags: { app: "payments" } });
    await keys.createKey("wrap-1", "oct-HSM", { keySize: 256 });
    await env.stack.grant(
      hsm,
      env.stack.principalOf(LOCAL_TOOL_CLIENT_ID),
      BUILT_IN_ROLE_IDS.cryptoUser,
      "/keys/payments",
    );
    await upsertRoleDefinition(handle, {
      name: randomUUID(),
      roleName: "Backup reader",
      description: "reads backups",
      dataActions: ["Microsoft.KeyVault/managedHsm/backup/status/action"],
      notDataActions: [],
    });
  }, 60_000);
  afterAll(() => database.dispose());

  it("runs a manual backup end to end: the service's folder, a catalogue equal to the HSM, audited", async () => {
    const run = await runBackup(deps(), { ...manual, requestId: "req-1" });
    expect(run).toMatchObject({
      state: "succeeded",
      error: null,
      trigger: "manual",
      requestedBy: KIM,
    });
    expect(run.folderUrl).toMatch(new RegExp(`^${containerUrl()}/mhsm-${hsm}-\\d{17}$`));
    expect(run.jobId).toBeTruthy();
    expect(run.statusUrl).toMatch(/\/backup\/.+\/pending$/);
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.cataloguedAt).not.toBeNull();
    const folders = await backupContainer(containerUrl(), BACKUP_ACCESS).folders();
    expect(folders).toContain(run.folderUrl!.split("/").at(-1));

    const catalogue = (await catalogueOf(db, run.id))!;
    const catalogued = Object.fromEntries(
      catalogue.keys.map((k) => [k.name, k.versions.map((v) => v.version).sort()]),
    );
    expect(catalogued).toEqual(await heldByHsm(handle));
    expect(catalogue.keys.find((k) => k.name === "payments")).toMatchObject({
      tags: { app: "payments" },
      attributes: { family: "RSA", keySize: 2048, enabled: true },
    });
    expect(catalogue.access.roleAssignments.map((a) => a.scope)).toContain("/keys/payments");
    expect(catalogue.access.customRoles.map((r) => r.roleName)).toEqual(["Backup reader"]);
    expect((await catalogueOf(db, run.id, "ORD"))!.keys.map((k) => k.name)).toEqual(["orders"]);
    // LIKE's wildcards are taken literally: no key name holds an underscore.
    expect((await catalogueOf(db, run.id, "_"))!.keys).toEqual([]);

    expect(await eventsOf(run.id)).toEqual([
      { action: "backup.start", outcome: "succeeded" },
      { action: "backup.run", outcome: "succeeded" },
    ]);
    // The SAS the run minted is nowhere in the database.
    const stored = JSON.stringify([
      await db.selectFrom("backup_run").selectAll().execute(),
      await db.selectFrom("audit_event").selectAll().execute(),
    ]);
    expect(stored).not.toMatch(/sig=|[?&]sv=/);
  });

  it("records a failed pre-check in words, and the HSM answering 409 when it is busy", async () => {
    const missing = backupContainer(`${env.blobEndpoint}/no-such-${dialect}`, BACKUP_ACCESS);
    const failed = await runBackup(
      depsOn(db, { targetOf: () => ({ container: missing, auth: "sas" }) }),
      manual,
    );
    expect(failed).toMatchObject({ state: "failed", folderUrl: null, jobId: null });
    expect(failed.error).toBe(`Pre-check failed: The container ${missing.url} does not exist.`);
    expect(await eventsOf(failed.id)).toEqual([
      { action: "backup.start", outcome: "succeeded" },
      { action: "backup.run", outcome: "failed" },
    ]);

    // A backup started outside the portal whose upload hangs keeps the HSM busy.
    const held: http.ServerResponse[] = [];
    const hang = http.createServer((_req, res) => void held.push(res));
    await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
    const port = (hang.address() as AddressInfo).port;
    const hanging = await startBackup(handle, {
      containerUrl: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT.name}/hang`,
      sasToken: "sv=2024-01-01&sig=x",
    });
    try {
      const busy = await runBackup(deps(), manual);
      expect(busy.state).toBe("failed");
      expect(busy.error).toMatch(/^The HSM is busy: .*already in progress/);
    } finally {
      for (const res of held) res.writeHead(404).end();
      const ended = await followOperation(handle, hanging, { deadline: Date.now() + 20_000 });
      expect(ended.status).toBe("Failed");
      hang.closeAllConnections();
      await new Promise((resolve) => hang.close(resolve));
    }
  });

  it("refuses a second run while one is running: 409 saying since when, and no second row", async () => {
    const before = await runCount();
    const first = await startBackupRun(deps(), manual);
    const second = await refusal(runBackup(deps(), manual));
    expect(second.code).toBe("conflict");
    expect(second.message).toContain(
      `has been running since ${new Date(first.run.startedAt!).toISOString()}`,
    );
    expect((await first.done).state).toBe("succeeded");
    expect(await runCount()).toBe(before + 1);
  });

  it("runs one backup when two portal instances start one at the same moment", async () => {
    const before = await runCount();
    const [a, b] = await Promise.allSettled([
      runBackup(depsOn(database.open()), manual),
      runBackup(depsOn(database.open()), manual),
    ]);
    const won = [a, b].filter((o) => o.status === "fulfilled");
    const lost = [a, b].filter((o) => o.status === "rejected");
    expect(won.map((o) => o.value.state)).toEqual(["succeeded"]);
    expect(lost).toHaveLength(1);
    const reason: unknown = lost[0]!.reason;
    expect(isAppError(reason) && reason.code).toBe("conflict");
    expect(await runCount()).toBe(before + 1);
  });

  it("follows a run a stopped portal left with its status URL, and marks one without it interrupted", async () => {
    // The portal stopped after keeping the HSM's answer: the operation is real.
    const container = backupContainer(containerUrl(), BACKUP_ACCESS);
    const operation = await startBackup(handle, {
      containerUrl: container.url,
      sasToken: await container.mintSas(Date.now()),
    });
    const left = (await insertRunningRun(
      db,
      {
        hsm,
        trigger: "manual",
        scheduleName: null,
        scheduledFor: null,
        requestedBy: KIM,
        containerUrl: container.url,
      },
      Date.now(),
    ))!;
    await saveOperation(db, left.id, operation, Date.now());
    // Another HSM's run stopped before the HSM answered.
    const elsewhere = (await insertRunningRun(
      db,
      {
        hsm: "gone-hsm",
        trigger: "schedule",
        scheduleName: "nightly",
        scheduledFor: Date.now(),
        requestedBy: null,
        containerUrl: container.url,
      },
      Date.now(),
    ))!;

    const refused = await refusal(runBackup(deps(), manual));
    expect(refused).toMatchObject({ code: "conflict" });
    expect(refused.message).toContain(`(run ${left.id})`);

    const { settled, leftToOthers } = await resumeRuns(deps());
    expect(leftToOthers).toEqual([]);
    const byId = Object.fromEntries(settled.map((run) => [run.id, run]));
    expect(byId[left.id]).toMatchObject({ state: "succeeded", jobId: operation.jobId });
    expect(byId[left.id]!.folderUrl).toMatch(new RegExp(`/mhsm-${hsm}-\\d{17}$`));
    expect(await catalogueOf(db, left.id)).not.toBeNull();
    expect(byId[elsewhere.id]).toMatchObject({ state: "interrupted" });
    expect(byId[elsewhere.id]!.error).toMatch(/stopped while starting this backup/);
    expect(await eventsOf(elsewhere.id)).toEqual([{ action: "backup.run", outcome: "failed" }]);
    expect((await resumeRuns(deps())).settled).toEqual([]);
  });

  it("finds the backups that hold a key, with the versions each holds, newest first", async () => {
    const older = (await backupsHoldingKey(db, hsm, "orders"))[0]!;
    expect(older.versions).toHaveLength(2);
    await handle.background.keys.createEcKey("orders", { hsm: true, curve: "P-256" });
    await handle.background.keys.createEcKey("only-later", { hsm: true, curve: "P-256" });
    const newer = await runBackup(deps(), manual);
    const holding = await backupsHoldingKey(db, hsm, "ORDERS");
    expect(holding[0]).toMatchObject({ runId: newer.id, folderUrl: newer.folderUrl });
    expect(holding[0]!.versions).toHaveLength(3);
    expect(holding.find((h) => h.runId === older.runId)!.versions).toEqual(older.versions);
    expect((await backupsHoldingKey(db, hsm, "only-later")).map((h) => h.runId)).toEqual([
      newer.id,
    ]);
    expect(await backupsHoldingKey(db, hsm, "never-made")).toEqual([]);
  });

  it("lets retention delete only what it should: the folders really go, the newest stays", async () => {
    const container = backupContainer(containerUrl(), BACKUP_ACCESS);
    const start = Date.UTC(2026, 0, 1, 2);
    const scheduled: BackupRun[] = [];
    for (let day = 0; day < 3; day += 1)
      scheduled.push(
        await runBackup(deps(), {
          hsm,
          trigger: "schedule",
          actor: { type: "system", id: "system", name: "backup scheduler" },
          scheduleName: "nightly",
          scheduledFor: start + day * DAY,
        }),
      );
    expect(scheduled.map((r) => r.state)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const foldersBefore = await container.folders();
    const name = (run: { folderUrl: string | null }) => run.folderUrl!.split("/").at(-1)!;

    const outcome = await applyRetention(deps(), {
      hsm,
      scheduleName: "nightly",
      retention: { keepLast: 1 },
      container,
    });
    expect(outcome.failed).toEqual([]);
    expect(outcome.deleted.map((d) => d.runId)).toEqual([scheduled[0]!.id, scheduled[1]!.id]);
    const foldersAfter = await container.folders();
    expect(foldersAfter).toEqual(
      foldersBefore.filter((f) => f !== name(scheduled[0]!) && f !== name(scheduled[1]!)),
    );
    expect(foldersAfter).toContain(name(scheduled[2]!));
    expect((await getBackupRun(db, scheduled[0]!.id))!.folderDeletedAt).not.toBeNull();
    expect((await getBackupRun(db, scheduled[2]!.id))!.folderDeletedAt).toBeNull();
    expect(await catalogueOf(db, scheduled[0]!.id)).toBeNull();
    expect((await backupsHoldingKey(db, hsm, "orders")).map((h) => h.runId)).not.toContain(
      scheduled[0]!.id,
    );
    expect(await eventsOf(scheduled[0]!.id)).toContainEqual({
      action: "backup.retention",
      outcome: "succeeded",
    });

    // Nothing more to let go: the newest good backup is never deleted, even by keepLast 0.
    expect(
      (
        await applyRetention(deps(), {
          hsm,
          scheduleName: "nightly",
          retention: { keepLast: 0 },
          container,
        })
      ).deleted,
    ).toEqual([]);
  });

  it("records missed scheduled times once, and a scheduled time runs at most once", async () => {
    const times = [Date.UTC(2026, 1, 1, 2), Date.UTC(2026, 1, 2, 2)];
    const missed = await recordMissed(deps(), hsm, "nightly", times);
    expect(missed.map((r) => [r.state, r.scheduledFor, r.startedAt])).toEqual([
      ["missed", times[0], null],
      ["missed", times[1], null],
    ]);
    expect(await recordMissed(deps(), hsm, "nightly", times)).toEqual([]);
    const again = await refusal(
      runBackup(deps(), {
        hsm,
        trigger: "schedule",
        actor: KIM,
        scheduleName: "nightly",
        scheduledFor: times[1],
      }),
    );
    expect(again).toMatchObject({ code: "conflict" });
    expect(again.message).toMatch(/due at 2026-02-02T02:00:00.000Z has already been recorded/);
  });
  it("admits one running run per HSM in the schema itself, whichever client inserts first", async () => {
    const claim = () =>
      insertRunningRun(
        database.open(),
        {
          hsm: "race-hsm",
          trigger: "manual",
          scheduleName: null,
          scheduledFor: null,
          requestedBy: KIM,
          containerUrl: containerUrl(),
        },
        Date.now(),
      );
    const claims = await Promise.all([claim(), claim(), claim()]);
    expect(claims.filter((run) => run !== null)).toHaveLength(1);
  });
});
