import "server-only";

import { auditedTransaction } from "@/lib/audit/service";
import type { AuditContext, AuditTarget } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import { AppError, isAppError } from "@/lib/errors";
import { newCallStats, withCallStats } from "@/lib/hsm/call-stats";
import type { HsmHandle } from "@/lib/hsm/handle";
import { getDeletedKeyDetail } from "@/lib/hsm/keys";
import type { RequestNotify } from "@/lib/notify/request-event";
import { detectOutOfBand } from "@/lib/out-of-band/detect";
import { readMirrorSnapshot } from "@/lib/out-of-band/snapshot";
import { readSnapshot, syncHsm, type SyncKind } from "@/lib/sync/engine";
import { ensureHsm, recordHsmOutcome } from "@/lib/sync/hsm-store";
import { removeKeys, writeKeys } from "@/lib/sync/key-store";
import { abandonStaleRuns, finishRun, startRun } from "@/lib/sync/runs";
import { measureSync } from "@/lib/telemetry/sync";

/*
 * Sync as a recorded job: one run at a time per HSM across every portal instance (a lease in
 * the database), a run row before the first HSM call, and the HSM's sync state updated at the
 * end, so that pages can say how fresh their data is and why it is not fresher.
 */

export interface SyncSettings {
  concurrency: number;
  detailBudget?: number;
  /** Set when the notification webhook is: out-of-band changes found are queued to it. */
  notify?: RequestNotify | undefined;
}

export interface SyncRequest {
  kind: SyncKind;
  /** `backup`: the mirror refresh of a scheduled backup run (a manual one's is `manual`). */
  trigger: "schedule" | "manual" | "startup" | "backup";
  requestedBy?: string | null;
  /** A person's request: the run is recorded in the audit log with the run row. */
  audit?: AuditContext;
  /**
   * A scheduled sync, asked again once the lease is held: the due time was read before, and
   * another instance may have synced and let go of the lease in between.
   */
  stillDue?: () => Promise<boolean>;
}

export type SyncStart =
  { started: true; runId: string; done: Promise<void> } | { started: false; heldBy: string | null };

const LEASE_TTL_MS = 60_000;

type NewRun = Parameters<typeof startRun>[1];

/** Records a run; one a person asked for is audited in the same transaction. */
function startRecordedRun(db: Db, run: NewRun, audit: AuditContext | undefined): Promise<string> {
  if (!audit) return startRun(db, run);
  return auditedTransaction(
    audit,
    (trx) => startRun(trx, run),
    (runId) => {
      const target: AuditTarget = { hsm: run.hsm };
      if (run.key_name) target.key = run.key_name;
      return { target, detail: { kind: run.kind, run: runId } };
    },
    db,
  );
}

function describe(error: unknown): string {
  return isAppError(error)
    ? error.message
    : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * Starts a sync of one HSM unless one is already running; resolves as soon as the run is
 * recorded (or refused), while the sync itself goes on in `done`.
 */
export async function startSync(
  db: Db,
  handle: HsmHandle,
  request: SyncRequest,
  settings: SyncSettings,
): Promise<SyncStart> {
  await ensureHsm(db, handle);
  let announce: (runId: string) => void = () => undefined;
  let notDue = false;
  const started = new Promise<string>((resolve) => (announce = resolve));
  const leased = withLease(
    `sync:${handle.name}`,
    LEASE_TTL_MS,
    async (signal) => {
      if (request.stillDue && !(await request.stillDue())) {
        notDue = true;
        return;
      }
      await abandonStaleRuns(db, handle.name);
      const runId = await startRecordedRun(
        db,
        {
          hsm: handle.name,
          kind: request.kind,
          trigger: request.trigger,
          requested_by: request.requestedBy ?? null,
        },
        request.audit,
      );
      announce(runId);
      const stats = newCallStats();
      try {
        // The mirror before and after the sync is what out-of-band detection compares; a sync
        // that fails half way has written some of what it read, so that part is compared too.
        const before = await readMirrorSnapshot(db, handle.name);
        const synced = await withCallStats(stats, () =>
          measureSync(handle.name, request.kind, () =>
            syncHsm(db, handle, { ...settings, kind: request.kind, signal }),
          ),
        ).then(
          (outcome) => ({ outcome }),
          (error: unknown) => ({ error }),
        );
        await detectOutOfBand(db, {
          hsm: handle.name,
          runId,
          before,
          after: await readMirrorSnapshot(db, handle.name),
          notify: settings.notify,
        });
        if ("error" in synced) throw synced.error;
        const { outcome } = synced;
        await finishRun(db, runId, {
          status: outcome.errors.length > 0 ? "partial" : "succeeded",
          stats,
          listed: outcome.listed,
          refreshed: outcome.refreshed,
          removed: outcome.removed,
          error: outcome.errors.length > 0 ? outcome.errors.join("\n") : null,
        });
        await recordHsmOutcome(db, handle.name, {
          ok: true,
          full: request.kind === "full",
          securityDomain: outcome.securityDomain,
        });
      } catch (error) {
        await finishRun(db, runId, { status: "failed", stats, error: describe(error) });
        await recordHsmOutcome(db, handle.name, { ok: false, error: describe(error) });
      }
    },
    { db },
  );
  const first = await Promise.race([
    started.then((runId) => ({ runId })),
    leased.then((outcome) => ({ outcome })),
  ]);
  if ("runId" in first)
    return { started: true, runId: first.runId, done: leased.then(() => undefined) };
  if (!first.outcome.acquired) return { started: false, heldBy: first.outcome.heldBy };
  if (notDue) return { started: false, heldBy: null };
  throw new AppError("internal", "the sync finished without recording a run");
}

/** Runs a sync to its end (tests, benchmarks, the scheduler); null if another one is running. */
export async function runSync(
  db: Db,
  handle: HsmHandle,
  request: SyncRequest,
  settings: SyncSettings,
): Promise<string | null> {
  const start = await startSync(db, handle, request, settings);
  if (!start.started) return null;
  await start.done;
  return start.runId;
}

/**
 * Re-reads one key now: after the portal changed it, or when someone asks. A key that is gone
 * is marked deleted (soft-deleted) or removed (purged).
 */
export async function refreshKey(
  db: Db,
  handle: HsmHandle,
  name: string,
  request: {
    trigger: "manual" | "change";
    requestedBy?: string | null;
    audit?: AuditContext;
    /** Set when the notification webhook is: out-of-band changes found are queued to it. */
    notify?: RequestNotify | undefined;
  },
): Promise<{ runId: string; outcome: "present" | "deleted" | "absent" }> {
  await ensureHsm(db, handle);
  let outcome: "present" | "deleted" | "absent" = "absent";
  const runId = await startRecordedRun(
    db,
    {
      hsm: handle.name,
      kind: "key",
      trigger: request.trigger,
      key_name: name,
      requested_by: request.requestedBy ?? null,
    },
    request.audit,
  );
  const stats = newCallStats();
  try {
    await withCallStats(stats, async () => {
      // Compared like a sync's: a change made behind the portal's back to a key the portal then
      // refreshes (after its own change, say) would otherwise be absorbed unreported.
      const before = await readMirrorSnapshot(db, handle.name, { key: name });
      const snapshot = await readSnapshot(handle, name).catch(async (error: unknown) => {
        if (!isAppError(error) || error.code !== "not_found") throw error;
        const deleted = await getDeletedKeyDetail(handle, name).catch((inner: unknown) => {
          if (isAppError(inner) && inner.code === "not_found") return null;
          throw inner;
        });
        return deleted
          ? { readAt: Date.now(), attributes: deleted, detail: deleted, deleted }
          : null;
      });
      if (snapshot) await writeKeys(db, handle.name, [snapshot]);
      else await removeKeys(db, handle.name, [name.toLowerCase()]);
      outcome = !snapshot ? "absent" : snapshot.deleted ? "deleted" : "present";
      await detectOutOfBand(db, {
        hsm: handle.name,
        runId,
        before,
        after: await readMirrorSnapshot(db, handle.name, { key: name }),
        notify: request.notify,
      });
    });
    await finishRun(db, runId, { status: "succeeded", stats, refreshed: 1 });
  } catch (error) {
    await finishRun(db, runId, { status: "failed", stats, error: describe(error) });
    throw error;
  }
  return { runId, outcome };
}
