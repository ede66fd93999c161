import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { clientSecretOf } from "@keyward/identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resumeRuns } from "@/lib/backup/resume";
import { getSchedule, storeSchedule } from "@/lib/backup/schedules";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import type { HsmHandle } from "@/lib/hsm/handle";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { portalHandle } from "@/lib/requests/testing/fixture";

import {
  BACKUP_ACCESS,
  backupDepsOn,
  startBackupStack,
  type BackupStack,
} from "./testing/backup-stack";
import { startSchedulerWorker } from "./testing/run-scheduler-worker";
import type { SchedulerWorkerConfig } from "./testing/scheduler-worker";

/*
 * The backup scheduler across portal processes, against the emulator and Azurite: two
 * processes ticking at the same moment run a due backup once, and a process killed (SIGKILL)
 * while its backup runs leaves a run that the next start-up follows to its end, without a
 * second backup.
 */

const dialects = availableDialects();
const storage = { accountName: BACKUP_ACCESS.accountName, accountKey: BACKUP_ACCESS.accountKey };
const MINUTE = 60_000;
const DAY = 86_400_000;
let bed: BackupStack;
let blobs: BlobServiceClient;

beforeAll(async () => {
  bed = await startBackupStack("procs", (d) => [`race-${d}`, `killed-${d}`], { testMode: true });
  blobs = new BlobServiceClient(
    bed.blobEndpoint,
    new StorageSharedKeyCredential(storage.accountName, storage.accountKey),
  );
}, 60_000);

afterAll(() => bed?.close());

/** The folders a container holds, one per backup. */
async function foldersIn(container: string): Promise<string[]> {
  const folders: string[] = [];
  for await (const item of blobs.getContainerClient(container).listBlobsByHierarchy("/"))
    if (item.kind === "prefix") folders.push(item.name);
  return folders;
}

describe.each(dialects)("the backup scheduler in two processes on %s", (dialect) => {
  const hsm = `procs-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  const containerUrl = (name: string) => `${bed.blobEndpoint}/${name}`;

  /** A daily 02:00 UTC schedule into a new container; the time its first run is due. */
  async function dailySchedule(name: string): Promise<number> {
    const container = `${name}-${dialect}`;
    const created = Date.now() - DAY;
    await storeSchedule(
      db,
      hsm,
      {
        name,
        cron: "0 2 * * *",
        timeZone: "UTC",
        container: containerUrl(container),
        auth: "sas",
        retention: {},
        paused: false,
      },
      "test",
      created,
    );
    const { slotsFrom } = (await getSchedule(db, hsm, name))!;
    const day = Math.floor(slotsFrom / DAY) * DAY + 2 * 3_600_000;
    return day > slotsFrom ? day : day + DAY;
  }

  const workerConfig = (now: number): SchedulerWorkerConfig => ({
    database: database.config,
    hsm: { name: hsm, url: bed.stack.hsmUrl(hsm) },
    caPem: bed.stack.caPem,
    issuer: bed.stack.idp.issuer,
    appId: LOCAL_TOOL_CLIENT_ID,
    secret: clientSecretOf(bed.stack.directory, bed.stack.secrets, LOCAL_TOOL_CLIENT_ID)!,
    storage,
    now,
  });

  const runsOf = (schedule: string) =>
    db
      .selectFrom("backup_run")
      .selectAll()
      .where("hsm", "=", hsm)
      .where("schedule_name", "=", schedule)
      .execute();

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(bed.stack, hsm);
    await handle.background.keys.createEcKey("orders", { hsm: true, curve: "P-256" });
  }, 60_000);
  afterAll(() => database.dispose());

  it("runs a due backup once when two processes tick at the same moment", async () => {
    const due = await dailySchedule("race");
    const results = await Promise.all(
      [0, 1].map(() => startSchedulerWorker(workerConfig(due + MINUTE)).done),
    );
    const started = results.flatMap((r) => ("started" in r ? r.started : []));
    const ended = results.flatMap((r) => ("ended" in r ? r.ended : []));
    expect(started).toHaveLength(1);
    expect(ended).toEqual([{ id: started[0], state: "succeeded" }]);
    const runs = await runsOf("race");
    expect(runs.map((r) => [Number(r.scheduled_for), r.state])).toEqual([[due, "succeeded"]]);
    expect(await foldersIn(`race-${dialect}`)).toHaveLength(1);
  }, 120_000);

  it("follows the backup of a killed process to its end at the next start-up, without a second backup", async () => {
    const due = await dailySchedule("killed");
    const faults = (body: unknown) =>
      bed.stack.request(hsm, LOCAL_TOOL_CLIENT_ID, "PUT", "/emulator/faults", body);
    // Slow HSM answers keep the run in flight long enough to kill the process in it.
    expect((await faults({ latencyMs: 1_500 })).status).toBe(200);
    const worker = startSchedulerWorker(workerConfig(due + MINUTE));
    try {
      await expect
        .poll(async () => (await runsOf("killed"))[0]?.status_url ?? null, {
          timeout: 60_000,
          interval: 50,
        })
        .not.toBeNull();
      worker.child.kill("SIGKILL");
      expect(await worker.done).toEqual({ killed: "SIGKILL" });
    } finally {
      expect((await faults({})).status).toBe(200);
    }
    const [left] = await runsOf("killed");
    expect(left).toMatchObject({ state: "running", finished_at: null });

    // The dead process's leases expire (60 s) before a new instance may take the run over.
    await db
      .updateTable("lease")
      .set({ expires_at: 0 })
      .where("name", "like", "backup:%")
      .execute();
    const { settled } = await resumeRuns(
      backupDepsOn(db, handle, containerUrl(`killed-${dialect}`)),
    );
    expect(settled.map((run) => [run.id, run.state])).toEqual([[left!.id, "succeeded"]]);
    expect(settled[0]!.cataloguedAt).not.toBeNull();
    const folders = await foldersIn(`killed-${dialect}`);
    expect(folders).toHaveLength(1);
    expect(settled[0]!.folderUrl).toContain(folders[0]!.replace(/\/$/, ""));
  }, 120_000);
});
