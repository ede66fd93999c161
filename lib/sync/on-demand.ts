import "server-only";

import type { AuditContext } from "@/lib/audit/types";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { requestNotify } from "@/lib/notify/job";
import { getRun, type SyncRun } from "@/lib/sync/runs";
import { refreshKey, startSync } from "@/lib/sync/service";

/* Syncs a person asks for from the portal, and the runs they look up. */

export type SyncNowAnswer =
  | { runId: string; status: "succeeded"; key: "present" | "deleted" }
  | { runId: string; status: "running" };

/**
 * One key refreshed now, or a sync of one HSM started (it goes on after the answer). A key the
 * HSM no longer has is "not found"; a second sync of the same HSM is a conflict.
 */
export async function syncNow(
  request: { hsm: string; kind: "incremental" | "full"; key?: string },
  requestedBy: string,
  audit: AuditContext,
): Promise<SyncNowAnswer> {
  const handle = portalHsmOrThrow(request.hsm);
  const db = await getDb();
  if (request.key) {
    const { runId, outcome } = await refreshKey(db, handle, request.key, {
      trigger: "manual",
      requestedBy,
      audit,
      notify: requestNotify(),
    });
    if (outcome === "absent")
      throw new AppError(
        "not_found",
        `HSM ${request.hsm} has no key ${request.key}, live or deleted; it is gone from the inventory.`,
      );
    return { runId, status: "succeeded", key: outcome };
  }
  const start = await startSync(
    db,
    handle,
    { kind: request.kind, trigger: "manual", requestedBy, audit },
    { concurrency: getEnv().hsmConcurrency, notify: requestNotify() },
  );
  if (!start.started)
    throw new AppError(
      "conflict",
      `A sync of ${request.hsm} is already running; wait for it to finish.`,
    );
  return { runId: start.runId, status: "running" };
}

export async function syncRun(runId: string): Promise<SyncRun> {
  const run = await getRun(await getDb(), runId);
  if (!run) throw new AppError("not_found", `There is no sync run ${runId}.`);
  return run;
}
