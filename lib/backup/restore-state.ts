import "server-only";

import { z } from "zod";

import { getBackupRun, type BackupRun } from "@/lib/backup/runs";
import type { Db } from "@/lib/db/client";
import type { HsmHandle } from "@/lib/hsm/handle";
import type { CallProfile } from "@/lib/hsm/keys";
import type { ItemOf, RestoreKind } from "@/lib/requests/kinds";
import { keyState } from "@/lib/requests/live-state";
import type { RestoreSource, TargetState } from "@/lib/requests/target-state";

/*
 * What a restore depends on: the backup run it names, as the portal recorded it (its state, its
 * folder, what its catalogue says it holds), and, for one key, that key read live from the HSM
 * (never from the mirror) with its deleted twin.
 */

export type RestoreItem = ItemOf<"restore.key"> | ItemOf<"restore.full">;

const versionsSchema = z.array(z.object({ version: z.string() }));

async function cataloguedVersions(db: Db, runId: string, key: string): Promise<string[] | null> {
  const row = await db
    .selectFrom("backup_catalogue_key")
    .select("versions")
    .where("run_id", "=", runId)
    .where("name_lower", "=", key.toLowerCase())
    .executeTakeFirst();
  if (!row) return null;
  return versionsSchema.parse(JSON.parse(row.versions)).map((v) => v.version);
}

export function sourceOf(run: BackupRun): RestoreSource {
  return {
    runId: run.id,
    hsm: run.hsm,
    state: run.state,
    folderUrl: run.folderUrl,
    finishedAt: run.finishedAt,
    folderDeletedAt: run.folderDeletedAt,
    catalogued: run.cataloguedAt !== null,
  };
}

export async function readRestoreState(
  db: Db,
  handle: HsmHandle,
  kind: RestoreKind,
  item: RestoreItem,
  profile: CallProfile,
): Promise<TargetState> {
  const run = await getBackupRun(db, item.backupRunId);
  if (kind === "restore.full" || !("key" in item)) return { backup: run && sourceOf(run) };
  const [versions, key] = await Promise.all([
    run ? cataloguedVersions(db, run.id, item.key) : null,
    keyState(handle, item.key, profile, { policy: false, deleted: true }),
  ]);
  return { ...key, backup: run && { ...sourceOf(run), versions } };
}

const namesRun = z.object({ backupRunId: z.string() });

/**
 * The backup runs that restores not yet settled (pending, approved, executing) name: retention
 * must keep their folders (applyRetention's `protectedRunIds`).
 */
export async function runsNamedByOpenRestores(db: Db, hsm: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("change_request_item as i")
    .innerJoin("change_request as r", "r.id", "i.request_id")
    .select("i.change")
    .where("r.hsm", "=", hsm)
    .where("r.kind", "in", ["restore.key", "restore.full"])
    .where("r.state", "in", ["pending", "approved", "executing"])
    .execute();
  return new Set(rows.map((row) => namesRun.parse(JSON.parse(row.change)).backupRunId));
}
