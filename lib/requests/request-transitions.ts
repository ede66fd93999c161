import "server-only";

import { recordInTransaction } from "@/lib/audit/service";
import type { ChangeRequestTable } from "@/lib/db/schema/requests/table";
import type { ExecutorDeps } from "@/lib/requests/executor";
import { queueRequestEvent } from "@/lib/requests/notify";
import { executionOutcome, transition, type ItemState } from "@/lib/requests/state-machine";
import { addTimelineEvent } from "@/lib/requests/store";

/*
 * The executor's moves of a whole request, each a guarded update committed with its timeline
 * line and audit event: claiming the oldest approved request (approved → executing), and
 * settling one whose items are all settled (executing → executed | failed | stale).
 */

/** What the executor's audit events say of themselves: the portal's identity, the request. */
export const executorContext = (deps: ExecutorDeps, requestId: string) => ({
  actor: deps.actor,
  requestId,
  action: "request.item.execute",
});

/**
 * Claims the oldest approved request: null when none is waiting, `claimed: false` when another
 * executor moved it first.
 */
export async function claimNext(
  deps: ExecutorDeps,
): Promise<{ request: ChangeRequestTable; claimed: boolean } | null> {
  const { db } = deps;
  const next = await db
    .selectFrom("change_request")
    .selectAll()
    .where("state", "=", "approved")
    .orderBy("decided_at")
    .limit(1)
    .executeTakeFirst();
  if (!next) return null;
  const at = (deps.now ?? Date.now)();
  const claimed = await db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("change_request")
      .set({ state: "executing", updated_at: at })
      .where("id", "=", next.id)
      .where("state", "=", "approved")
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return false;
    await addTimelineEvent(trx, next.id, {
      at,
      actor: deps.actor.name,
      what: "executing",
      detail: { items: next.item_count },
    });
    await recordInTransaction(
      trx,
      { ...executorContext(deps, next.id), action: "request.execute.start" },
      {
        target: { request: next.id, kind: next.kind, hsm: next.hsm },
        detail: { items: next.item_count },
      },
    );
    return true;
  });
  return { request: { ...next, state: "executing" }, claimed };
}

/** Settles a request whose items are all settled; true when this call did. */
export async function finishRequest(
  deps: ExecutorDeps,
  request: ChangeRequestTable,
): Promise<boolean> {
  const { db } = deps;
  const items = await db
    .selectFrom("change_request_item")
    .select("state")
    .where("request_id", "=", request.id)
    .execute();
  const states = items.map((i) => i.state as ItemState);
  if (states.some((s) => s === "pending" || s === "executing")) return false;
  const outcome = executionOutcome(states);
  const counts = { executed: 0, failed: 0, stale: 0 } as Record<string, number>;
  for (const state of states) counts[state] = (counts[state] ?? 0) + 1;
  const words = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`)
    .join(", ");
  const step = transition("executing", { type: "finish", outcome });
  if (!step.ok) return false;
  const at = (deps.now ?? Date.now)();
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("change_request")
      .set({ state: step.to, finished_at: at, updated_at: at, outcome: words })
      .where("id", "=", request.id)
      .where("state", "=", "executing")
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return false;
    await addTimelineEvent(trx, request.id, {
      at,
      actor: deps.actor.name,
      what: step.to,
      detail: counts,
    });
    await queueRequestEvent(trx, deps.notify, request.id, outcome, at);
    await recordInTransaction(
      trx,
      { ...executorContext(deps, request.id), action: "request.execute" },
      {
        target: { request: request.id, kind: request.kind, hsm: request.hsm },
        outcome: outcome === "executed" ? "succeeded" : "failed",
        detail: { state: step.to, ...counts },
      },
    );
    return true;
  });
}
