import "server-only";

import { recordInTransaction } from "@/lib/audit/service";
import type { AuditContext } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { RequestNotify } from "@/lib/notify/request-event";
import { queueRequestEvent } from "@/lib/requests/notify";
import { approvalPolicy, decisionRefusal, type Decider } from "@/lib/requests/policy";
import { transition, type RequestEvent, type RequestState } from "@/lib/requests/state-machine";
import { addTimelineEvent, findRequestRow, requestDetail } from "@/lib/requests/store";
import type { RequestDetail, RequestPerson } from "@/lib/requests/types";
import type { Finding } from "@/lib/sod/types";

/*
 * Decisions on a pending request: approve, reject (approvers), cancel (the requester), expire
 * (the clock). Each re-reads the request in its transaction and moves it with a guarded update
 * (`where state = 'pending'`), so a decision racing another one, or the executor, either lands
 * on the state it read or is refused with 409; the decision, the timeline line and the audit
 * event commit together.
 */

export interface DecisionInput {
  comment?: string | undefined;
  /** The approver's reason for accepting critical separation-of-duties findings. */
  acknowledge?: { reason: string } | undefined;
}

export interface DecisionDeps {
  db: Db;
  now?: () => number;
  /** The critical findings the request would add, computed now (role-assignment kinds). */
  criticalFindingsOf?: (request: RequestDetail) => Promise<Finding[]>;
  /** Set when the notification webhook is: decisions that settle a request queue its event. */
  notify?: RequestNotify | undefined;
}

function refusalError(
  reason: string,
  code: "forbidden" | "conflict" | "reauthentication_required",
) {
  return new AppError(
    code,
    reason,
    code === "reauthentication_required"
      ? { extensions: { signInUrl: "/api/auth/sign-in?reauth=1" } }
      : {},
  );
}

/** Moves a request with a guarded update; false when another writer moved it first. */
async function moveRequest(
  trx: Db,
  id: string,
  from: RequestState,
  event: RequestEvent,
  at: number,
  extra: { decided_at?: number; approvals?: number } = {},
): Promise<RequestState> {
  const step = transition(from, event);
  if (!step.ok) throw new AppError("conflict", step.reason);
  const moved = await trx
    .updateTable("change_request")
    .set({ state: step.to, updated_at: at, ...extra })
    .where("id", "=", id)
    .where("state", "=", from)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1)
    throw new AppError("conflict", "The request changed while you were deciding; reload it.");
  return step.to;
}

/**
 * Locks a pending request's row for the transaction; 409 when it is no longer pending, or when
 * its approval window has closed (even if the expiry job has not marked it yet).
 */
async function lockPending(trx: Db, id: string, at: number): Promise<void> {
  const locked = await trx
    .updateTable("change_request")
    .set({ updated_at: at })
    .where("id", "=", id)
    .where("state", "=", "pending")
    .where("expires_at", ">", at)
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) !== 1)
    throw new AppError(
      "conflict",
      "The request is no longer pending, or its approval window has closed; reload it.",
    );
}

async function approvalsOf(trx: Db, id: string): Promise<number> {
  const row = await trx
    .selectFrom("change_request_decision")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("request_id", "=", id)
    .where("decision", "=", "approve")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function loadPending(db: Db, id: string) {
  const row = await findRequestRow(db, id);
  if (!row) throw new AppError("not_found", `There is no change request ${id}.`);
  return row;
}

export async function decideRequest(
  deps: DecisionDeps,
  id: string,
  decision: "approve" | "reject",
  decider: Decider & RequestPerson,
  input: DecisionInput,
  audit: AuditContext,
): Promise<RequestDetail> {
  const { db } = deps;
  const now = (deps.now ?? Date.now)();
  const row = await loadPending(db, id);
  const deciders = await db
    .selectFrom("change_request_decision")
    .select("approver_id")
    .where("request_id", "=", id)
    .execute();
  const subject = {
    state: row.state,
    requesterId: row.requester_id,
    policy: approvalPolicy.parse(JSON.parse(row.policy)),
    deciderIds: deciders.map((d) => d.approver_id),
  };
  const refusal = decisionRefusal(subject, decider, now);
  if (refusal) throw refusalError(refusal.reason, refusal.code);
  if (decision === "reject" && !input.comment?.trim())
    throw new AppError("validation_failed", "Say why you reject the request.", {
      fieldErrors: [{ in: "body", pointer: "/reason", detail: "required" }],
    });

  let acknowledged: { reason: string; findings: string[] } | null = null;
  if (decision === "approve" && deps.criticalFindingsOf) {
    const critical = await deps.criticalFindingsOf((await requestDetail(db, id))!);
    if (critical.length > 0) {
      if (!input.acknowledge)
        throw new AppError(
          "validation_failed",
          `Approving adds ${critical.length === 1 ? "a critical separation-of-duties finding" : `${critical.length} critical separation-of-duties findings`} (${critical.map((f) => f.summary).join("; ")}). Acknowledge ${critical.length === 1 ? "it" : "them"} with a reason to approve.`,
          {
            fieldErrors: [
              { in: "body", pointer: "/acknowledge", detail: "required: critical findings" },
            ],
          },
        );
      acknowledged = { reason: input.acknowledge.reason, findings: critical.map((f) => f.id) };
    }
  }

  const recorded = await db.transaction().execute(async (trx) => {
    // Take the request's row first (PostgreSQL's row lock; SQLite's write lock is already held):
    // two approvers deciding at once then count each other's approvals, never miss one.
    await lockPending(trx, id, now);
    await trx
      .insertInto("change_request_decision")
      .values({
        request_id: id,
        approver_id: decider.id,
        approver_name: decider.name,
        decision,
        comment: input.comment?.trim() || null,
        acknowledgement: acknowledged ? JSON.stringify(acknowledged) : null,
        at: now,
      })
      .onConflict((c) => c.columns(["request_id", "approver_id"]).doNothing())
      .executeTakeFirst()
      .then((inserted) => {
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1)
          throw new AppError(
            "forbidden",
            "You have decided this request already; another approver must add theirs.",
          );
      });
    const approvals = await approvalsOf(trx, id);
    const to = await moveRequest(
      trx,
      id,
      "pending",
      decision === "approve"
        ? { type: "approve", approvals, required: row.approvals_required }
        : { type: "reject" },
      now,
      {
        approvals,
        ...(decision === "reject" || approvals >= row.approvals_required
          ? { decided_at: now }
          : {}),
      },
    );
    await addTimelineEvent(trx, id, {
      at: now,
      actor: decider.name,
      what:
        decision === "approve"
          ? to === "approved"
            ? "approved (quorum reached)"
            : "approved"
          : "rejected",
      detail: {
        ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}),
        ...(acknowledged ? { acknowledged: acknowledged.findings.length } : {}),
        approvals,
        required: row.approvals_required,
      },
    });
    if (decision === "reject")
      await trx
        .updateTable("change_request_item")
        .set({ sealed_secret: null })
        .where("request_id", "=", id)
        .execute();
    if (to === "approved" || to === "rejected")
      await queueRequestEvent(trx, deps.notify, id, to, now);
    return recordInTransaction(trx, audit, {
      target: { request: id, kind: row.kind, hsm: row.hsm },
      detail: {
        approvals,
        required: row.approvals_required,
        state: to,
        ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}),
        ...(acknowledged ? { acknowledgement: acknowledged } : {}),
      },
    });
  });
  // The route learns its event is recorded (committed with the decision), so it adds none.
  audit.onRecorded?.(recorded);
  return (await requestDetail(db, id))!;
}

export async function cancelRequest(
  deps: DecisionDeps,
  id: string,
  person: RequestPerson,
  audit: AuditContext,
): Promise<RequestDetail> {
  const { db } = deps;
  const now = (deps.now ?? Date.now)();
  const row = await loadPending(db, id);
  const step = transition(row.state as RequestState, {
    type: "cancel",
    byRequester: row.requester_id === person.id,
  });
  if (!step.ok)
    throw new AppError(row.requester_id === person.id ? "conflict" : "forbidden", step.reason);
  const recorded = await db.transaction().execute(async (trx) => {
    await moveRequest(trx, id, "pending", { type: "cancel", byRequester: true }, now, {
      decided_at: now,
    });
    await trx
      .updateTable("change_request_item")
      .set({ sealed_secret: null })
      .where("request_id", "=", id)
      .execute();
    await addTimelineEvent(trx, id, { at: now, actor: person.name, what: "cancelled" });
    await queueRequestEvent(trx, deps.notify, id, "cancelled", now);
    return recordInTransaction(trx, audit, {
      target: { request: id, kind: row.kind, hsm: row.hsm },
    });
  });
  audit.onRecorded?.(recorded);
  return (await requestDetail(db, id))!;
}

/** Expires the pending requests whose approval window has closed; returns their ids. */
export async function expireDueRequests(
  deps: DecisionDeps,
  audit: AuditContext,
): Promise<string[]> {
  const { db } = deps;
  const now = (deps.now ?? Date.now)();
  const due = await db
    .selectFrom("change_request")
    .select(["id", "kind", "hsm", "expires_at"])
    .where("state", "=", "pending")
    .where("expires_at", "<=", now)
    .execute();
  const expired: string[] = [];
  for (const row of due) {
    try {
      await db.transaction().execute(async (trx) => {
        await moveRequest(
          trx,
          row.id,
          "pending",
          { type: "expire", now, expiresAt: row.expires_at },
          now,
          { decided_at: now },
        );
        await trx
          .updateTable("change_request_item")
          .set({ sealed_secret: null })
          .where("request_id", "=", row.id)
          .execute();
        await addTimelineEvent(trx, row.id, {
          at: now,
          actor: "Keyward",
          what: "expired",
          detail: { reason: "no quorum within the approval window" },
        });
        await queueRequestEvent(trx, deps.notify, row.id, "expired", now);
        await recordInTransaction(trx, audit, {
          target: { request: row.id, kind: row.kind, hsm: row.hsm },
        });
      });
      expired.push(row.id);
    } catch (error) {
      // Decided by someone meanwhile: nothing to expire.
      if (!(error instanceof AppError && error.code === "conflict")) throw error;
    }
  }
  return expired;
}
