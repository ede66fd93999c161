import { expect, it } from "vitest";

import { runsNamedByOpenRestores } from "@/lib/backup/restore-state";
import { runBackup } from "@/lib/backup/runner";
import { BACKUP_ACCESS, versionsOf } from "@/lib/backup/testing/backup-stack";
import { describeRestores, HALF_HOUR_LATER, jobOf } from "@/lib/backup/testing/restore-bed";
import { folderName, startFullRestore } from "@/lib/hsm/backup";
import { findKey } from "@/lib/hsm/key-writes";
import { ITEM_CLAIM_MS } from "@/lib/requests/executor";
import { approver, refusal } from "@/lib/requests/testing/fixture";
import { backupContainer } from "@/lib/storage/backup-container";
import { runSync } from "@/lib/sync/service";

/*
 * Full restores as change requests against the emulator and Azurite with the real SDKs, on
 * SQLite and (when TEST_DATABASE_URL is set) PostgreSQL: refused from a backup younger than 30
 * minutes, the whole HSM restored after its safety backup with the mirror refreshed, nothing
 * restored when the safety backup fails, an executor that resumes a restore whose operation had
 * started following that operation instead of starting a second one, and the runs unsettled
 * restores name (whose folders retention keeps).
 */

describeRestores("full restores", "restores-full", (bed, dialect) => {
  it("refuses a full restore from a backup younger than 30 minutes, saying when it becomes possible", async () => {
    const { run, file } = bed();
    const young = await refusal(file({ kind: "restore.full", items: [{ backupRunId: run.id }] }));
    expect(young).toMatchObject({ code: "conflict" });
    expect(young.message).toMatch(/only once it is 30 minutes old: file this restore from /);
  });

  it("takes a safety backup, then restores the whole HSM and refreshes the mirror", async () => {
    const { h, handle, db, hsm, run, ledgerVersions, file, state, approve, safetyRuns } = bed();
    await handle.background.keys.createEcKey("after-backup", { hsm: true, curve: "P-256" });
    await runSync(db, handle, { kind: "full", trigger: "manual" }, { concurrency: 8 });
    const mirroredAfterBackup = () =>
      db
        .selectFrom("inventory_key")
        .select("deleted_at")
        .where("hsm", "=", hsm)
        .where("name_lower", "=", "after-backup")
        .executeTakeFirst();
    expect(await mirroredAfterBackup()).toEqual({ deleted_at: null });
    const before = await safetyRuns();
    const id = await file(
      { kind: "restore.full", items: [{ backupRunId: run.id }] },
      HALF_HOUR_LATER,
    );
    expect((await state(id)).approvalsRequired).toBe(2);
    await approve(id);
    expect(await h.execute()).toContain(id);
    const done = await state(id);
    expect(done.state).toBe("executed");
    const safety = (await safetyRuns()).slice(before.length);
    expect(safety.map((r) => r.state)).toEqual(["succeeded"]);
    expect(done.items[0]!.after).toMatchObject({
      safetyRunId: safety[0]!.id,
      refresh: "the mirror was refreshed",
    });
    expect(jobOf(done.items[0]!.after)).toMatch(/\S/);
    expect(await findKey(handle, "after-backup", "background")).toBeNull();
    expect(await versionsOf(handle, "ledger")).toEqual(ledgerVersions);
    // Gone from the mirror too: the full refresh found it no longer in the HSM.
    expect(await mirroredAfterBackup()).toBeUndefined();
  });

  it("follows the recorded restore after a restart instead of starting a second one", async () => {
    const {
      h,
      handle,
      hsm,
      run,
      backups,
      containerUrl,
      file,
      state,
      approve,
      safetyRuns,
      leftExecuting,
    } = bed();
    const id = await file(
      { kind: "restore.full", items: [{ backupRunId: run.id }] },
      HALF_HOUR_LATER,
    );
    await approve(id);
    // What an executor killed mid-restore leaves: its safety run, the operation it started.
    const safety = await runBackup(backups, { hsm, trigger: "safety", actor: h.deps.actor });
    const container = backupContainer(containerUrl, BACKUP_ACCESS);
    const operation = await startFullRestore(
      handle,
      { containerUrl: container.url, sasToken: await container.mintSas(Date.now()) },
      folderName(run.folderUrl!),
    );
    await leftExecuting(id, {
      safetyRunId: safety.id,
      operation: { jobId: operation.jobId, statusUrl: operation.statusUrl },
    });
    const runsBefore = await safetyRuns();

    expect(await h.execute(ITEM_CLAIM_MS + 1_000)).toContain(id);
    const done = await state(id);
    expect(done.state).toBe("executed");
    expect(done.items[0]).toMatchObject({
      attempts: 2,
      after: { safetyRunId: safety.id, operation: { jobId: operation.jobId } },
    });
    expect(await safetyRuns()).toEqual(runsBefore);
  });

  it("restores nothing when the safety backup fails, and says which run it was", async () => {
    const { h, handle, run, backups, blobEndpoint, file, state, approve, safetyRuns } = bed();
    await handle.background.keys.createEcKey("kept", { hsm: true, curve: "P-256" });
    const id = await file(
      { kind: "restore.full", items: [{ backupRunId: run.id }] },
      HALF_HOUR_LATER,
    );
    await approve(id);
    const saved = h.deps.restores!;
    const nowhere = backupContainer(`${blobEndpoint}/no-such-${dialect}`, BACKUP_ACCESS);
    h.deps.restores = {
      ...saved,
      backups: { ...backups, targetOf: () => ({ container: nowhere, auth: "sas" }) },
    };
    try {
      expect(await h.execute()).toContain(id);
    } finally {
      h.deps.restores = saved;
    }
    const safety = (await safetyRuns()).at(-1)!;
    expect(safety.state).toBe("failed");
    const done = await state(id);
    expect(done.items[0]!.state).toBe("failed");
    expect(done.items[0]!.error).toMatch(
      new RegExp(
        `^the safety backup \\(run ${safety.id}\\) did not succeed: .+; nothing was restored$`,
      ),
    );
    expect(await findKey(handle, "kept", "background")).not.toBeNull();
  });

  it("names the runs of unsettled restores, whose folders retention must keep", async () => {
    const { h, db, hsm, run, file } = bed();
    expect(await runsNamedByOpenRestores(db, hsm)).toEqual(new Set());
    const id = await file(
      { kind: "restore.full", items: [{ backupRunId: run.id }] },
      HALF_HOUR_LATER,
    );
    expect(await runsNamedByOpenRestores(db, hsm)).toEqual(new Set([run.id]));
    await h.decide(id, "reject", approver(1));
    expect(await runsNamedByOpenRestores(db, hsm)).toEqual(new Set());
  });
});
