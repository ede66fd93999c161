import "server-only";

import pLimit from "p-limit";

import type { AuditActor } from "@/lib/audit/types";
import { getAuthConfig } from "@/lib/auth/config";
import type { RestoreDeps } from "@/lib/backup/restore-execution";
import { portalBackupDeps, portalTargets } from "@/lib/backup/service";
import { getDb, type Db } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import type { ChangeRequestItemTable, ChangeRequestTable } from "@/lib/db/schema/requests/table";
import { getEnv } from "@/lib/env";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { listHsmWideAssignments, listRoleDefinitions } from "@/lib/hsm/role-assignments";
import { getLogger } from "@/lib/log/logger";
import { kickNotifications, requestNotify } from "@/lib/notify/job";
import { withDetection } from "@/lib/out-of-band/detect";
import { expireDueRequests } from "@/lib/requests/decisions";
import { executeApprovedRequests, type ExecutorDeps } from "@/lib/requests/executor";
import { KEY_KINDS } from "@/lib/requests/kinds";
import { replaceHsmWideAssignments, replaceRoleDefinitions } from "@/lib/sync/hsm-store";
import { refreshKey, runSync } from "@/lib/sync/service";

/*
 * The executor as a job of the portal: at start-up, every few seconds, and at once when a
 * request is approved on this instance. It runs under a lease, so one portal instance executes
 * at a time; an instance that dies leaves the lease to expire and another one resumes its work.
 */

const LEASE = "requests:executor";
const LEASE_TTL_MS = 60_000;
const INTERVAL_MS = 10_000;

/** The portal's application identity, as the audit log names the executor. */
export function executorActor(): AuditActor {
  return {
    type: "application",
    id: getAuthConfig().clientId,
    name: "Keyward (application identity)",
  };
}

/** Re-reads what a request changed into the inventory mirror, so pages show it at once. */
export async function refreshAfterRequest(
  db: Db,
  request: ChangeRequestTable,
  items: ChangeRequestItemTable[],
): Promise<void> {
  if (!request.hsm) return;
  const handle = portalHsmOrThrow(request.hsm);
  const targets = items
    .filter((i) => i.state === "executed")
    .map((i) => JSON.parse(i.target) as Record<string, string>);
  if (targets.length === 0) return;
  const limit = pLimit(4);
  if (KEY_KINDS.has(request.kind as never)) {
    await Promise.all(
      targets.map((t) =>
        limit(() => refreshKey(db, handle, t.key!, { trigger: "change", notify: requestNotify() })),
      ),
    );
    return;
  }
  if (request.kind.startsWith("role-assignment.")) {
    const keys = new Set(
      targets.filter((t) => t.scope?.startsWith("/keys/")).map((t) => t.scope!.slice(6)),
    );
    await Promise.all(
      [...keys].map((key) =>
        limit(() => refreshKey(db, handle, key, { trigger: "change", notify: requestNotify() })),
      ),
    );
    if (targets.some((t) => t.scope === "/" || t.scope === "/keys")) {
      const assignments = await listHsmWideAssignments(handle, "background");
      await withDetection(db, handle.name, "hsm-wide-assignments", requestNotify(), () =>
        replaceHsmWideAssignments(db, handle.name, assignments),
      );
    }
    return;
  }
  if (request.kind.startsWith("role-definition.")) {
    const definitions = await listRoleDefinitions(handle, "background");
    await withDetection(db, handle.name, "role-definitions", requestNotify(), () =>
      replaceRoleDefinitions(db, handle.name, definitions),
    );
  }
}

export async function executorDeps(): Promise<ExecutorDeps> {
  const db = await getDb();
  return {
    db,
    handleOf: portalHsmOrThrow,
    sealKeys: getAuthConfig().sessionKeys,
    actor: executorActor(),
    refresh: (request, items) => refreshAfterRequest(db, request, items),
    notify: requestNotify(),
    restores: await restoreDeps(db),
  };
}

/** Restores read the backup where its run wrote it, and refresh the mirror when they end. */
async function restoreDeps(db: Db): Promise<RestoreDeps> {
  return {
    backups: portalBackupDeps(db, await portalTargets(db)),
    refreshKey: async (handle, name) => {
      await refreshKey(db, handle, name, { trigger: "change", notify: requestNotify() });
    },
    refreshAll: async (handle) => {
      await runSync(
        db,
        handle,
        { kind: "full", trigger: "manual" },
        { concurrency: getEnv().hsmConcurrency, notify: requestNotify() },
      );
    },
  };
}

let running: Promise<void> | null = null;
let again = false;

async function runOnce(): Promise<void> {
  const deps = await executorDeps();
  const expired = await expireDueRequests(deps, {
    actor: deps.actor,
    requestId: null,
    action: "request.expire",
  });
  const outcome = await withLease(
    LEASE,
    LEASE_TTL_MS,
    (signal) => executeApprovedRequests(deps, signal),
    { db: deps.db },
  );
  if (outcome.acquired && outcome.value.length > 0)
    getLogger().info({ requests: outcome.value }, "executed approved change requests");
  if (deps.notify && (expired.length > 0 || (outcome.acquired && outcome.value.length > 0)))
    void kickNotifications();
}

/** Runs the executor now (or once more after the current run), without waiting for it. */
export function kickExecutor(): void {
  if (running) {
    again = true;
    return;
  }
  running = runOnce()
    .catch((error: unknown) =>
      getLogger().error({ err: error }, "the change-request executor failed"),
    )
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        kickExecutor();
      }
    });
}

export function startExecutorJob(): void {
  kickExecutor();
  setInterval(kickExecutor, INTERVAL_MS).unref();
}
