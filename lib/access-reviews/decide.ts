import "server-only";

import {
  decisionRefusal,
  removalJustification,
  type ItemDecision,
  type ReviewState,
  type ReviewVerdict,
} from "@/lib/access-reviews/rules";
import type { ReviewDeps, Reviewer } from "@/lib/access-reviews/service";
import {
  findReviewRow,
  reviewDetail,
  type AccessReviewDetail,
  type Person,
} from "@/lib/access-reviews/store";
import { auditedTransaction, recordInTransaction } from "@/lib/audit/service";
import type { AuditContext, AuditEvent, AuditFacts } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";

/*
 * Deciding an item of an access review. Each decision is a guarded update (pending → confirmed
 * or flagged) that decrements the review's pending count on its row; the decision that reaches 0
 * completes the review in the same transaction. A flag files a role-assignment.delete request,
 * and the flag commits inside that filing's transaction: the request and the decision exist
 * together or not at all.
 */

/** The filing's refusal of a removal whose assignment the HSM no longer holds (read live). */
const isAssignmentGone = (error: unknown) =>
  isAppError(error) &&
  error.code === "not_found" &&
  error.fieldErrors.some((field) => field.pointer === "/items/0");

interface Decided {
  decision: "confirmed" | "flagged";
  comment: string;
  requestId: string | null;
  alreadyRemoved: boolean;
}

/**
 * Records one decision inside `trx`: the item moves from pending, the review's pending count
 * goes down, and the review completes when it reaches 0. A decision someone else made first, or
 * a review cancelled meanwhile, is a conflict that undoes the transaction.
 */
async function recordDecision(
  trx: Db,
  review: { id: string },
  assignment: string,
  reviewer: Person,
  decided: Decided,
  now: number,
): Promise<{ completed: boolean }> {
  const moved = await trx
    .updateTable("access_review_item")
    .set({
      decision: decided.decision,
      decided_by: reviewer.id,
      decided_by_name: reviewer.name,
      decided_at: now,
      comment: decided.comment || null,
      request_id: decided.requestId,
      already_removed: decided.alreadyRemoved ? 1 : 0,
    })
    .where("review_id", "=", review.id)
    .where("assignment", "=", assignment)
    .where("decision", "=", "pending")
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1)
    throw new AppError(
      "conflict",
      `The assignment ${assignment} was decided by someone else first.`,
    );
  const counted = await trx
    .updateTable("access_review")
    .set((eb) => ({ pending: eb("pending", "-", 1) }))
    .where("id", "=", review.id)
    .where("state", "=", "open")
    .executeTakeFirst();
  if (Number(counted.numUpdatedRows) !== 1)
    throw new AppError("conflict", `The access review ${review.id} was closed meanwhile.`);
  const completed = await trx
    .updateTable("access_review")
    .set({
      state: "completed",
      open_hsm: null,
      ended_at: now,
      ended_by: reviewer.id,
      ended_by_name: reviewer.name,
    })
    .where("id", "=", review.id)
    .where("state", "=", "open")
    .where("pending", "=", 0)
    .executeTakeFirst();
  return { completed: Number(completed.numUpdatedRows) === 1 };
}

/**
 * A reviewer confirms an assignment or flags it for removal. A flag files a role-assignment.delete
 * request as the reviewer (approved by others, like any request); if the assignment is gone from
 * the HSM already, the flag is recorded as such and no request is needed.
 */
export async function decideItem(
  deps: ReviewDeps,
  reviewer: Reviewer,
  reviewId: string,
  assignment: string,
  input: { verdict: ReviewVerdict; comment: string },
  audit: AuditContext,
): Promise<AccessReviewDetail> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const review = await findReviewRow(db, reviewId);
  if (!review) throw new AppError("not_found", `There is no access review ${reviewId}.`);
  const item = await db
    .selectFrom("access_review_item")
    .selectAll()
    .where("review_id", "=", reviewId)
    .where("assignment", "=", assignment)
    .executeTakeFirst();
  if (!item)
    throw new AppError(
      "not_found",
      `The access review ${reviewId} holds no role assignment ${assignment}.`,
    );
  const refusal = decisionRefusal({
    review: { id: review.id, state: review.state as ReviewState },
    item: {
      assignment,
      principalId: item.principal_id,
      principalName: item.principal_name,
      decision: item.decision as ItemDecision,
      decidedByName: item.decided_by_name,
    },
    reviewer,
    verdict: input.verdict,
    comment: input.comment,
  });
  if (refusal) throw new AppError(refusal.code, refusal.reason);

  const facts = (decided: Decided, completed: boolean): AuditFacts => ({
    target: { hsm: review.hsm, review: review.id, assignment },
    detail: {
      decision: decided.decision,
      comment: decided.comment,
      principal: item.principal_id,
      role: item.role_name,
      scope: item.scope,
      ...(decided.requestId ? { request: decided.requestId } : {}),
      ...(decided.alreadyRemoved ? { alreadyRemoved: true } : {}),
      completed,
    },
  });
  const decideInTransaction = (decided: Decided) =>
    auditedTransaction(
      audit,
      (trx) => recordDecision(trx, review, assignment, reviewer, decided, now()),
      ({ completed }) => facts(decided, completed),
      db,
    );

  const comment = input.comment.trim();
  if (input.verdict === "confirm")
    await decideInTransaction({
      decision: "confirmed",
      comment,
      requestId: null,
      alreadyRemoved: false,
    });
  else {
    let recorded: AuditEvent | undefined;
    try {
      const filed = await deps.fileRemoval(
        reviewer,
        {
          kind: "role-assignment.delete",
          hsm: review.hsm,
          justification: removalJustification(
            {
              id: review.id,
              hsm: review.hsm,
              startedByName: review.started_by_name,
              startedAt: Number(review.started_at),
            },
            { roleName: item.role_name, principalName: item.principal_name, scope: item.scope },
            comment,
          ),
          items: [{ name: assignment }],
        },
        { actor: audit.actor, requestId: audit.requestId, action: "request.file" },
        `access-review:${review.id}:${assignment}`,
        async (trx, requestId) => {
          const decided = {
            decision: "flagged" as const,
            comment,
            requestId,
            alreadyRemoved: false,
          };
          const { completed } = await recordDecision(
            trx,
            review,
            assignment,
            reviewer,
            decided,
            now(),
          );
          recorded = await recordInTransaction(trx, audit, facts(decided, completed));
        },
      );
      if (!filed.created) {
        // The same reviewer's flag replayed: it stands if it is this request's.
        const current = await db
          .selectFrom("access_review_item")
          .select("request_id")
          .where("review_id", "=", review.id)
          .where("assignment", "=", assignment)
          .executeTakeFirst();
        if (current?.request_id !== filed.request.id)
          throw new AppError("conflict", `The assignment ${assignment} was decided already.`);
      }
    } catch (error) {
      if (!isAssignmentGone(error)) throw error;
      // Gone from the HSM since the review began: flagged, and nothing is left to remove.
      await decideInTransaction({
        decision: "flagged",
        comment,
        requestId: null,
        alreadyRemoved: true,
      });
    }
    if (recorded) audit.onRecorded?.(recorded);
  }
  return (await reviewDetail(db, reviewId))!;
}
