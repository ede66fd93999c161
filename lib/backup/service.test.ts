import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditContext, AuditEvent } from "@/lib/audit/types";
import type { BackupRun } from "@/lib/backup/runs";
import { createBackupService, type BackupService } from "@/lib/backup/service";
import {
  backupDepsOn,
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
import type { HsmHandle } from "@/lib/hsm/handle";
import { portalHandle, refusal } from "@/lib/requests/testing/fixture";

/*
 * The backup service as the routes and pages use it, against the emulator and Azurite with the
 * real SDKs, on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL: "Back up now" answers
 * with the running run and a second start with a 409 saying since when; the run settles on its
 * own as succeeded; the history, the run, its catalogue and the backups holding a key read back;
 * unknown HSMs and runs are 404s in words.
 */

const dialects = availableDialects();
let env: BackupStack;

beforeAll(async () => {
  env = await startBackupStack("backup-now", (d) => [`on-demand-${d}`]);
}, 60_000);
afterAll(() => env?.close());

describe.each(dialects)("the backup service on %s", (dialect) => {
  const hsm = `backup-now-${dialect}`;
  let database: TestDatabase;
  let db: Db;
  let handle: HsmHandle;
  let service: BackupService;
  const ended: BackupRun["id"][] = [];
  let settled: Promise<void>;
  let runEnded: () => void = () => undefined;
  const serviceOn = (container: string) =>
    createBackupService(backupDepsOn(db, handle, `${env.blobEndpoint}/${container}`), {
      info: (fields, message) => {
        if (message === "backup ended" && typeof fields.run === "string") {
          ended.push(fields.run);
          runEnded();
        }
      },
      error: (fields, message) => {
        throw new Error(`${message}: ${JSON.stringify(fields)}`);
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    handle = portalHandle(env.stack, hsm, { concurrency: 8 });
    const { keys } = handle.background;
    await keys.createRsaKey("Payments-Signing", { hsm: true, keySize: 2048 });
    await keys.createRsaKey("Payments-Signing", { hsm: true, keySize: 2048 });
    await keys.createEcKey("orders", { hsm: true, curve: "P-256" });
    settled = new Promise((resolve) => (runEnded = resolve));
    service = serviceOn(`on-demand-${dialect}`);
  }, 60_000);
  afterAll(() => database.dispose());

  it("backs up now: the running run at once, a second start refused, then a good backup with its catalogue", async () => {
    const recorded: AuditEvent[] = [];
    const audit: AuditContext = {
      actor: KIM,
      requestId: randomUUID(),
      action: "backup.start",
      onRecorded: (event) => recorded.push(event),
    };
    const run = await service.backUpNow(audit, hsm);
    expect(run).toMatchObject({
      hsm,
      state: "running",
      trigger: "manual",
      requestedBy: audit.actor,
    });
    // The route learns that the start is recorded, so it does not record it again.
    expect(recorded.map((e) => e.action)).toEqual(["backup.start"]);

    const second = await refusal(service.backUpNow(audit, hsm));
    expect(second.code).toBe("conflict");
    expect(second.message).toContain(
      `has been running since ${new Date(run.startedAt!).toISOString()}`,
    );

    await settled;
    expect(ended).toEqual([run.id]);
    const done = await service.getRun(run.id);
    expect(done).toMatchObject({ state: "succeeded", error: null });
    expect(done.folderUrl).toMatch(new RegExp(`/on-demand-${dialect}/mhsm-${hsm}-\\d{17}$`));

    expect((await service.listRuns({ hsm })).map((r) => r.id)).toEqual([run.id]);
    expect((await service.listRuns({ hsm, outcome: "succeeded" })).map((r) => r.id)).toEqual([
      run.id,
    ]);
    expect(await service.listRuns({ outcome: "failed" })).toEqual([]);

    const { catalogue } = await service.runCatalogue(run.id, { key: "payments" });
    expect(catalogue.keys.map((k) => k.name)).toEqual(["Payments-Signing"]);
    expect(catalogue.keys[0]!.versions).toHaveLength(2);
    expect((await service.runCatalogue(run.id)).catalogue.keys.map((k) => k.name)).toEqual([
      "orders",
      "Payments-Signing",
    ]);

    const holding = await service.backupsHoldingKey(hsm, "payments-signing");
    expect(holding.map((b) => [b.runId, b.versions.length])).toEqual([[run.id, 2]]);
    expect(await service.backupsHoldingKey(hsm, "no-such-key")).toEqual([]);
  });

  it("answers 404 in words for an unknown HSM, run or catalogue", async () => {
    const audit: AuditContext = {
      actor: KIM,
      requestId: null,
      action: "backup.start",
    };
    expect(await refusal(service.backUpNow(audit, "elsewhere"))).toMatchObject({
      code: "not_found",
      message: "There is no HSM named elsewhere.",
    });
    expect((await refusal(service.backupsHoldingKey("elsewhere", "orders"))).code).toBe(
      "not_found",
    );
    expect((await refusal(service.listRuns({ hsm: "elsewhere" }))).code).toBe("not_found");
    const unknown = randomUUID();
    expect(await refusal(service.getRun(unknown))).toEqual({
      code: "not_found",
      message: `There is no backup run ${unknown}.`,
    });
    expect((await refusal(service.runCatalogue(unknown))).code).toBe("not_found");
  });

  it("says why a run has no catalogue: it failed", async () => {
    settled = new Promise((resolve) => (runEnded = resolve));
    const run = await serviceOn(`no-such-${dialect}`).backUpNow(
      {
        actor: KIM,
        requestId: null,
        action: "backup.start",
      },
      hsm,
    );
    await settled;
    expect((await service.getRun(run.id)).error).toMatch(/^Pre-check failed: .* does not exist/);
    expect((await service.listRuns({ hsm })).map((r) => r.state)).toEqual(["failed", "succeeded"]);
    expect(await refusal(service.runCatalogue(run.id))).toEqual({
      code: "not_found",
      message: `Backup run ${run.id} ended failed, so it holds nothing.`,
    });
  });
});
