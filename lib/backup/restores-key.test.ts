import { expect, it } from "vitest";

import { BACKUP_ACCESS, versionsOf } from "@/lib/backup/testing/backup-stack";
import { deleteAndPurge, describeRestores, jobOf } from "@/lib/backup/testing/restore-bed";
import { folderName, followOperation, startKeyRestore } from "@/lib/hsm/backup";
import { findKey } from "@/lib/hsm/key-writes";
import { ITEM_CLAIM_MS } from "@/lib/requests/executor";
import { refusal } from "@/lib/requests/testing/fixture";
import { backupContainer } from "@/lib/storage/backup-container";

/*
 * Key restores as change requests against the emulator and Azurite with the real SDKs, on
 * SQLite and (when TEST_DATABASE_URL is set) PostgreSQL: a purged key back with all its versions,
 * the refusals at filing, a key that reappeared before execution (stale, nothing written), an
 * executor that resumes a restore whose operation brought the key back taking it as done, and a
 * portal without backup storage failing in words.
 */

describeRestores("key restores", "restores-key", (bed) => {
  it("refuses, in words, a key that exists live or deleted, and a key the backup does not hold", async () => {
    const { handle, run, file } = bed();
    const live = await refusal(
      file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] }),
    );
    expect(live).toMatchObject({ code: "conflict" });
    expect(live.message).toMatch(/^Key ledger exists in HSM restores-/);

    await (await handle.background.keys.beginDeleteKey("ledger")).pollUntilDone();
    const deleted = await refusal(
      file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] }),
    );
    expect(deleted.message).toMatch(
      /^Key ledger exists \(deleted, recoverable until .+\) — recover it instead or purge it first\.$/,
    );
    await handle.background.keys.purgeDeletedKey("ledger");

    const unknown = await refusal(
      file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "never-there" }] }),
    );
    expect(unknown).toMatchObject({ code: "not_found" });
    expect(unknown.message).toMatch(/does not hold a key named never-there/);
  });

  it("restores a purged key with all its versions, read back from the HSM", async () => {
    const { h, handle, db, hsm, run, ledgerVersions, file, state, approve } = bed();
    const id = await file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] });
    expect((await state(id)).approvalsRequired).toBe(1);
    await approve(id);
    expect(await h.execute()).toContain(id);
    const done = await state(id);
    expect(done.state).toBe("executed");
    expect(done.items[0]).toMatchObject({
      state: "executed",
      after: { refresh: "the mirror was refreshed" },
    });
    expect(jobOf(done.items[0]!.after)).toMatch(/\S/);
    expect(await versionsOf(handle, "ledger")).toEqual(ledgerVersions);
    const mirrored = await db
      .selectFrom("inventory_key")
      .select(["name", "deleted_at"])
      .where("hsm", "=", hsm)
      .where("name_lower", "=", "ledger")
      .executeTakeFirst();
    expect(mirrored).toEqual({ name: "ledger", deleted_at: null });
  });

  it("ends stale and writes nothing when the key reappeared after approval", async () => {
    const { h, handle, run, file, state, approve } = bed();
    await deleteAndPurge(handle, "ephemeral");
    const id = await file({
      kind: "restore.key",
      items: [{ backupRunId: run.id, key: "ephemeral" }],
    });
    await approve(id);
    await handle.background.keys.createEcKey("ephemeral", { hsm: true, curve: "P-384" });
    const reappeared = await versionsOf(handle, "ephemeral");
    expect(await h.execute()).toContain(id);
    const done = await state(id);
    expect(done.items[0]).toMatchObject({ state: "stale" });
    expect(done.items[0]!.error).toMatch(
      /key ephemeral exists in HSM .+ again; nothing was restored/,
    );
    expect(await versionsOf(handle, "ephemeral")).toEqual(reappeared);
    expect((await handle.background.keys.getKey("ephemeral")).keyType).toBe("EC-HSM");
  });

  it("takes a resumed key restore whose recorded operation brought the key back as done", async () => {
    const { h, handle, run, ledgerVersions, containerUrl, file, state, approve, leftExecuting } =
      bed();
    await deleteAndPurge(handle, "ledger");
    const id = await file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] });
    await approve(id);
    const container = backupContainer(containerUrl, BACKUP_ACCESS);
    const started = await startKeyRestore(
      handle,
      { containerUrl: container.url, sasToken: await container.mintSas(Date.now()) },
      folderName(run.folderUrl!),
      "ledger",
    );
    const ended = await followOperation(handle, started, { deadline: Date.now() + 20_000 });
    expect(ended.status).toBe("Succeeded");
    await leftExecuting(id, {
      operation: { jobId: started.jobId, statusUrl: started.statusUrl },
    });

    expect(await h.execute(ITEM_CLAIM_MS + 1_000)).toContain(id);
    const done = await state(id);
    expect(done.items[0]).toMatchObject({
      state: "executed",
      after: { operation: { jobId: started.jobId }, confirmedByReadingBack: true },
    });
    expect(await versionsOf(handle, "ledger")).toEqual(ledgerVersions);
  });

  it("fails in words, restoring nothing, on a portal without backup storage", async () => {
    const { h, handle, run, file, state, approve } = bed();
    await deleteAndPurge(handle, "ledger");
    const id = await file({ kind: "restore.key", items: [{ backupRunId: run.id, key: "ledger" }] });
    await approve(id);
    const saved = h.deps.restores;
    h.deps.restores = undefined;
    try {
      expect(await h.execute()).toContain(id);
    } finally {
      h.deps.restores = saved;
    }
    expect((await state(id)).items[0]).toMatchObject({
      state: "failed",
      error:
        "this portal instance has no backup storage configured, so it cannot restore; nothing was restored",
    });
    expect(await findKey(handle, "ledger", "background")).toBeNull();
  });
});
