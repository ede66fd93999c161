import "server-only";

import { randomUUID } from "node:crypto";

import type { Db } from "@/lib/db/client";
import type { SyncRunTable } from "@/lib/db/schema/sync-run/table";
import type { CallStats } from "@/lib/hsm/call-stats";

/* The record of every sync run: started before the first HSM call, finished whatever happens. */

export type SyncRun = SyncRunTable;

export async function startRun(
  db: Db,
  run: Pick<SyncRunTable, "hsm" | "kind" | "trigger"> &
    Partial<Pick<SyncRunTable, "key_name" | "requested_by">>,
  now: number = Date.now(),
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto("sync_run")
    .values({
      id,
      hsm: run.hsm,
      kind: run.kind,
      trigger: run.trigger,
      key_name: run.key_name ?? null,
      requested_by: run.requested_by ?? null,
      started_at: now,
      finished_at: null,
      status: "running",
      calls: 0,
      throttled: 0,
      retries: 0,
      failures: 0,
      keys_listed: 0,
      keys_refreshed: 0,
      keys_removed: 0,
      error: null,
    })
    .execute();
  return id;
}

export async function finishRun(
  db: Db,
  id: string,
  result: {
    status: "succeeded" | "partial" | "failed";
    stats: CallStats;
    listed?: number;
    refreshed?: number;
    removed?: number;
    error?: string | null;
  },
  now: number = Date.now(),
): Promise<void> {
  await db
    .updateTable("sync_run")
    .set({
      finished_at: now,
      status: result.status,
      calls: result.stats.calls,
      throttled: result.stats.throttled,
      retries: result.stats.retries,
      failures: result.stats.failures,
      keys_listed: result.listed ?? 0,
      keys_refreshed: result.refreshed ?? 0,
      keys_removed: result.removed ?? 0,
      error: result.error ?? null,
    })
    .where("id", "=", id)
    .execute();
}

/** Runs of this HSM still "running" belong to a process that died: the caller holds the lease. */
export async function abandonStaleRuns(
  db: Db,
  hsm: string,
  now: number = Date.now(),
): Promise<void> {
  await db
    .updateTable("sync_run")
    .set({ status: "abandoned", finished_at: now, error: "the portal process running it stopped" })
    .where("hsm", "=", hsm)
    .where("status", "=", "running")
    .where("kind", "!=", "key")
    .execute();
}

export function getRun(db: Db, id: string): Promise<SyncRun | undefined> {
  return db.selectFrom("sync_run").selectAll().where("id", "=", id).executeTakeFirst();
}

export function recentRuns(db: Db, limit = 20, hsm?: string): Promise<SyncRun[]> {
  let query = db.selectFrom("sync_run").selectAll().orderBy("started_at", "desc").limit(limit);
  if (hsm) query = query.where("hsm", "=", hsm);
  return query.execute();
}
