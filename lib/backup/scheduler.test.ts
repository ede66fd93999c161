import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { catalogueOf } from "@/lib/backup/catalogue-store";
import type { BackupDeps } from "@/lib/backup/deps";
import { scheduleViews } from "@/lib/backup/schedule-list";
import { backupSchedulerTick, runDueSchedules, type SchedulerDeps } from "@/lib/backup/scheduler";
import { getSchedule, type BackupSchedule } from "@/lib/backup/schedules";
import {
  BACKUP_ACCESS,
  backupDepsOn,
  startBackupStack,
  type BackupStack,
} from "@/lib/backup/testing/backup-stack";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import type { HsmHandle } from "@/lib/hsm/handle";
import { describeChange } from "@/lib/requests/describe-change";
import { requestDetail } from "@/lib/requests/store";
import type { TargetState } from "@/lib/requests/target-state";
import {
  approver,
  portalHandle,
  refusal,
  requestHarness,
  type RequestHarness,
} from "@/lib/requests/testing/fixture";
import { backupContainer } from "@/lib/storage/backup-container";

/*
 * Backup schedules end to end against the emulator and Azurite with the real SDKs, on SQLite
 * and (when TEST_DATABASE_URL is set) PostgreSQL: a schedule filed, approved and executed as a
 * change request; the scheduler, its clock injected, running a due time once (a second tick
 * runs nothing), recording the times a stopped portal missed once, applying the retention; and
 * two schedulers on two database handles ticking at once running each time once.
 */

const dialects = availableDialects();
const MINUTE = 60_000;
const DAY = 86_400_000;
let env: BackupStack;

beforeAll(async () => {
  env = await startBackupStack("schedules", (d) => [`nightly-${d}`, `twice-${d}`]);
}, 60_000);
afterAll(() => env?.close());

/** The next 02:00 UTC after `time`. */
const next2am = (time: number) => {
  const day = Math.floor(time / DAY) * DAY + 2 * 3_600_000;
  return day > time ? day : day + DAY;
};

describe.each(dialects)("backup schedules on %s", (dialect) => {
  const hsm = `schedules-${dialect}`;
  const containerOf = (name: string) => `${env.blobEndpoint}/${name}-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let h: RequestHarness;
  const justification = "Backups run on their own";

  const scheduler = (client: Db, now: number): SchedulerDeps => ({
    db: client,
    backupDepsOf: (schedule: BackupSchedule): BackupDeps =>
      backupDepsOn(client, handle, schedule.container, schedule.auth),
    now: () => now,
  });
  const runsOf = (schedule: string) =>
    db
      .selectFrom("backup_run")
      .select(["scheduled_for", "state"])
      .where("hsm", "=", hsm)
      .where("schedule_name", "=", schedule)
      .orderBy("scheduled_for")
      .execute()
      .then((rows) => rows.map((r) => [Number(r.scheduled_for), r.state]));

  /** Files, approves and executes one schedule request; the settled request. */
  async function decided(kind: string, item: unknown) {
    const id = await h.file({ kind: kind as never, hsm, justification, items: [item] });
    await h.decide(id, "approve", approver(1));
    expect(await h.execute()).toContain(id);
    return (await requestDetail(db, id))!;
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(env.stack, hsm);
    h = requestHarness(db, env.stack, hsm, handle);
    await handle.background.keys.createEcKey("orders", { hsm: true, curve: "P-256" });
  }, 60_000);
  afterAll(() => database.dispose());

  it("creates, changes and deletes a schedule through approved requests, never before approval", async () => {
    const item = {
      name: "nightly",
      cron: "0 2 * * *",
      timeZone: "UTC",
      container: containerOf("nightly"),
      auth: "sas",
      retention: { keepLast: 1 },
    };
    const id = await h.file({ kind: "backup-schedule.upsert", hsm, justification, items: [item] });
    const filed = (await requestDetail(db, id))!;
    expect(filed.approvalsRequired).toBe(1);
    expect(filed.summary).toBe(
      `Create or change a backup schedule: backup schedule nightly on ${hsm}`,
    );
    expect(await getSchedule(db, hsm, "nightly")).toBeNull();
    await h.decide(id, "approve", approver(1));
    await h.execute();
    expect((await requestDetail(db, id))!.state).toBe("executed");
    const created = (await getSchedule(db, hsm, "nightly"))!;
    expect(created).toMatchObject({
      cron: "0 2 * * *",
      timeZone: "UTC",
      container: containerOf("nightly"),
      auth: "sas",
      retention: { keepLast: 1, maxAgeDays: null },
      paused: false,
      updatedByRequest: id,
    });
    const audited = await db
      .selectFrom("audit_event")
      .select(["action", "outcome"])
      .where("action", "=", "request.item.execute")
      .where("request_id", "=", id)
      .execute();
    expect(audited).toEqual([{ action: "request.item.execute", outcome: "succeeded" }]);

    // A change is compared with the row as it stood: the words say from what to what.
    const paused = await decided("backup-schedule.upsert", {
      ...item,
      name: "weekly",
      paused: true,
    });
    expect(paused.state).toBe("executed");
    const change = { ...item, name: "weekly", cron: "0 3 * * 0" };
    const changeId = await h.file({
      kind: "backup-schedule.upsert",
      hsm,
      justification,
      items: [change],
    });
    const row = await db
      .selectFrom("change_request_item")
      .select(["change", "before"])
      .where("request_id", "=", changeId)
      .executeTakeFirstOrThrow();
    expect(
      describeChange(
        "backup-schedule.upsert",
        JSON.parse(row.change) as Record<string, unknown>,
        JSON.parse(row.before!) as TargetState,
      ),
    ).toEqual([
      expect.stringMatching(
        /^change schedule weekly: back up at 02:00, every day \(UTC\) .*; paused: no backups run until it is resumed → back up at 03:00, only on Sunday \(UTC\)/,
      ),
    ]);
    // Changed by another request meanwhile: this one is stale and writes nothing.
    await decided("backup-schedule.upsert", { ...item, name: "weekly", paused: false });
    await h.decide(changeId, "approve", approver(1));
    await h.execute();
    const stale = (await requestDetail(db, changeId))!;
    expect(stale.state).toBe("stale");
    expect((await getSchedule(db, hsm, "weekly"))!.cron).toBe("0 2 * * *");

    // Deleting: refused at filing when there is no such schedule, stale in words when it went since.
    expect(
      await refusal(
        h.file({ kind: "backup-schedule.delete", hsm, justification, items: [{ name: "hourly" }] }),
      ),
    ).toEqual({ code: "not_found", message: `HSM ${hsm} has no backup schedule named hourly.` });
    const late = await h.file({
      kind: "backup-schedule.delete",
      hsm,
      justification,
      items: [{ name: "weekly" }],
    });
    expect((await decided("backup-schedule.delete", { name: "weekly" })).state).toBe("executed");
    expect(await getSchedule(db, hsm, "weekly")).toBeNull();
    await h.decide(late, "approve", approver(1));
    await h.execute();
    const item0 = await db
      .selectFrom("change_request_item")
      .select(["state", "error"])
      .where("request_id", "=", late)
      .executeTakeFirstOrThrow();
    expect(item0).toEqual({
      state: "stale",
      error: "the backup schedule weekly no longer exists; nothing was deleted",
    });

    // Bad fields are named at filing.
    const bad = await refusal(
      h.file({
        kind: "backup-schedule.upsert",
        hsm,
        justification,
        items: [{ ...item, cron: "0 0 2 * * *", timeZone: "Mars/Base" }],
      }),
    );
    expect(bad.code).toBe("validation_failed");
  });

  it("runs a due time once, records missed times once, and applies the retention", async () => {
    const schedule = (await getSchedule(db, hsm, "nightly"))!;
    const first = next2am(schedule.slotsFrom);
    const tick = await backupSchedulerTick(scheduler(db, first + MINUTE));
    expect(tick!.missed).toEqual([]);
    expect(tick!.started.map((r) => [r.scheduleName, r.scheduledFor, r.trigger])).toEqual([
      ["nightly", first, "schedule"],
    ]);
    const [end] = await tick!.settled;
    expect(end!.run).toMatchObject({ state: "succeeded", scheduledFor: first, error: null });
    expect(end!.run.folderUrl!.startsWith(`${containerOf("nightly")}/`)).toBe(true);
    expect((await catalogueOf(db, end!.run.id))!.keys.map((k) => k.name)).toEqual(["orders"]);
    // The only good backup is never let go.
    expect(end!.retention).toEqual({ deleted: [], failed: [] });

    const again = await backupSchedulerTick(scheduler(db, first + 30 * MINUTE));
    expect([again!.started, again!.missed, again!.notStarted]).toEqual([[], [], []]);
    expect(await runsOf("nightly")).toEqual([[first, "succeeded"]]);

    // Three days without a portal: two times missed, the latest one run, the first folder let go.
    const later = first + 3 * DAY;
    const back = await backupSchedulerTick(scheduler(db, later + 5 * MINUTE));
    expect(back!.missed.map((r) => r.scheduledFor)).toEqual([first + DAY, first + 2 * DAY]);
    const [latest] = await back!.settled;
    expect(latest!.run).toMatchObject({ state: "succeeded", scheduledFor: later });
    expect(latest!.retention!.deleted.map((d) => d.runId)).toEqual([end!.run.id]);
    const folders = await backupContainer(containerOf("nightly"), BACKUP_ACCESS).folders();
    expect(folders).toEqual([latest!.run.folderUrl!.split("/").at(-1)]);

    const once = await backupSchedulerTick(scheduler(db, later + 6 * MINUTE));
    expect([once!.started, once!.missed]).toEqual([[], []]);
    expect(await runsOf("nightly")).toEqual([
      [first, "succeeded"],
      [first + DAY, "missed"],
      [first + 2 * DAY, "missed"],
      [later, "succeeded"],
    ]);

    const [view] = await scheduleViews(later + 6 * MINUTE, db);
    expect(view).toMatchObject({
      hsm,
      name: "nightly",
      cronInWords: "At 02:00, every day (UTC)",
      nextRunAt: new Date(later + DAY).toISOString(),
      lastRun: { id: latest!.run.id, outcome: "succeeded" },
    });
  });

  it("two schedulers on two database handles ticking at once run each time once", async () => {
    await decided("backup-schedule.delete", { name: "nightly" });
    await decided("backup-schedule.upsert", {
      name: "twice",
      cron: "0 2 * * *",
      timeZone: "UTC",
      container: containerOf("twice"),
      auth: "sas",
      retention: {},
    });
    const schedule = (await getSchedule(db, hsm, "twice"))!;
    const first = next2am(schedule.slotsFrom);
    const [a, b] = [database.open(), database.open()];
    // Through the scheduler's lease, and beneath it, the slot's unique index on its own.
    const leased = await Promise.all([
      backupSchedulerTick(scheduler(a, first + MINUTE)),
      backupSchedulerTick(scheduler(b, first + MINUTE)),
    ]);
    const leasedEnds = (
      await Promise.all(leased.filter((t) => t !== null).map((t) => t.settled))
    ).flat();
    const unleased = await Promise.all([
      runDueSchedules(scheduler(a, first + DAY + MINUTE)),
      runDueSchedules(scheduler(b, first + DAY + MINUTE)),
    ]);
    const unleasedEnds = (await Promise.all(unleased.map((t) => t.settled))).flat();
    expect(leasedEnds.map((e) => [e.run.scheduledFor, e.run.state])).toEqual([
      [first, "succeeded"],
    ]);
    expect(unleasedEnds.map((e) => [e.run.scheduledFor, e.run.state])).toEqual([
      [first + DAY, "succeeded"],
    ]);
    // The other one found the time taken, or the HSM's run lease held (then the next tick finds
    // the time recorded and owes nothing), or read the schedule after the run was recorded and
    // found nothing due: on a busy machine the first can finish before the second looks.
    const notStarted = unleased.flatMap((t) => t.notStarted.map((n) => n.scheduledFor));
    expect([[], [first + DAY]]).toContainEqual(notStarted);
    const next = await runDueSchedules(scheduler(a, first + DAY + 2 * MINUTE));
    expect([next.started, next.missed, next.notStarted]).toEqual([[], [], []]);
    expect(await runsOf("twice")).toEqual([
      [first, "succeeded"],
      [first + DAY, "succeeded"],
    ]);
    expect(await backupContainer(containerOf("twice"), BACKUP_ACCESS).folders()).toHaveLength(2);
  });
});
