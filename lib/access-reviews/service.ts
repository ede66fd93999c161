import "server-only";

import { randomUUID } from "node:crypto";

import { cancelRefusal, reviewItems, type ReviewState } from "@/lib/access-reviews/rules";
import {
  findReviewRow,
  reviewDetail,
  type AccessReviewDetail,
  type Person,
} from "@/lib/access-reviews/store";
import { loadAssignments, loadRoleDefinitions } from "@/lib/access/load";
import { unknownPrincipal } from "@/lib/access/model";
import { auditedTransaction } from "@/lib/audit/service";
import type { AuditContext } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import { readDirectory } from "@/lib/directory/store";
import { AppError } from "@/lib/errors";
import type { FilingInput } from "@/lib/requests/filing";
import type { RequestDetail } from "@/lib/requests/types";

/*
 * Starting and cancelling access reviews (deciding their items: lib/access-reviews/decide.ts).
 * Starting one copies the HSM's role assignments from the mirror as its items, with the review
 * and its audit event in one transaction.
 */

export interface ReviewDeps {
  db: Db;
  now?: () => number;
  /** Files a flag's removal request, running `inFilingTransaction` in the filing's transaction. */
  fileRemoval: (
    filer: Person,
    input: FilingInput,
    audit: AuditContext,
    idempotencyKey: string,
    inFilingTransaction: (trx: Db, requestId: string) => Promise<void>,
  ) => Promise<{ request: RequestDetail; created: boolean }>;
}

export interface Reviewer extends Person {
  /** The groups the reviewer is in (lower-case ids): their access is not theirs to review. */
  groups: ReadonlySet<string>;
}

const ITEM_BATCH = 100;

async function openReviewOf(db: Db, hsm: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("access_review")
    .select("id")
    .where("open_hsm", "=", hsm)
    .executeTakeFirst();
  return row?.id;
}

const alreadyOpen = (hsm: string, id: string) =>
  new AppError(
    "conflict",
    `An access review of ${hsm} is open already (${id}): finish or cancel it first.`,
  );

/** Starts a review of every role assignment the mirror holds for `hsm`. */
export async function startReview(
  deps: ReviewDeps,
  starter: Person,
  input: { hsm: string; note: string },
  audit: AuditContext,
): Promise<AccessReviewDetail> {
  const { db } = deps;
  const now = (deps.now ?? Date.now)();
  const synced = await db
    .selectFrom("inventory_hsm")
    .select("last_success_at")
    .where("name", "=", input.hsm)
    .executeTakeFirst();
  if (synced?.last_success_at == null)
    throw new AppError(
      "conflict",
      `${input.hsm} has not been synced yet: its role assignments are not known to review.`,
    );
  const [assignments, roles, directory] = await Promise.all([
    loadAssignments(db, input.hsm),
    loadRoleDefinitions(db),
    readDirectory(db),
  ]);
  if (assignments.length === 0)
    throw new AppError("conflict", `${input.hsm} holds no role assignments to review.`);
  const roleNames = new Map(
    roles.filter((role) => role.hsm === input.hsm).map((role) => [role.id, role.roleName]),
  );
  const items = reviewItems(
    assignments,
    (id) => roleNames.get(id) ?? `Unknown role ${id}`,
    (id) => directory.principals.get(id) ?? unknownPrincipal(id),
  );
  const id = randomUUID();
  const open = await openReviewOf(db, input.hsm);
  if (open) throw alreadyOpen(input.hsm, open);
  try {
    await auditedTransaction(
      audit,
      async (trx) => {
        await trx
          .insertInto("access_review")
          .values({
            id,
            hsm: input.hsm,
            open_hsm: input.hsm,
            state: "open",
            note: input.note,
            started_by: starter.id,
            started_by_name: starter.name,
            started_at: now,
            mirror_synced_at: Number(synced.last_success_at),
            item_count: items.length,
            pending: items.length,
            ended_at: null,
            ended_by: null,
            ended_by_name: null,
            cancel_reason: null,
          })
          .execute();
        for (let i = 0; i < items.length; i += ITEM_BATCH)
          await trx
            .insertInto("access_review_item")
            .values(
              items.slice(i, i + ITEM_BATCH).map((item) => ({
                review_id: id,
                assignment: item.assignment,
                position: item.position,
                scope: item.scope,
                role_definition_id: item.roleDefinitionId,
                role_name: item.roleName,
                principal_id: item.principalId,
                principal_name: item.principalName,
                principal_type: item.principalType,
                decision: "pending",
                decided_by: null,
                decided_by_name: null,
                decided_at: null,
                comment: null,
                request_id: null,
                already_removed: 0,
              })),
            )
            .execute();
      },
      () => ({
        target: { hsm: input.hsm, review: id },
        detail: { items: items.length, note: input.note },
      }),
      db,
    );
  } catch (error) {
    // Another review of this HSM was started at the same moment: the unique open_hsm refused ours.
    const winner = await openReviewOf(db, input.hsm);
    if (winner && winner !== id) throw alreadyOpen(input.hsm, winner);
    throw error;
  }
  return (await reviewDetail(db, id))!;
}

/** Cancels an open review; decisions made stand, and so do the removal requests they filed. */
export async function cancelReview(
  deps: Pick<ReviewDeps, "db" | "now">,
  person: Person,
  reviewId: string,
  reason: string,
  audit: AuditContext,
): Promise<AccessReviewDetail> {
  const { db } = deps;
  const review = await findReviewRow(db, reviewId);
  if (!review) throw new AppError("not_found", `There is no access review ${reviewId}.`);
  const refusal = cancelRefusal({ id: review.id, state: review.state as ReviewState });
  if (refusal) throw new AppError(refusal.code, refusal.reason);
  await auditedTransaction(
    audit,
    async (trx) => {
      const moved = await trx
        .updateTable("access_review")
        .set({
          state: "cancelled",
          open_hsm: null,
          ended_at: (deps.now ?? Date.now)(),
          ended_by: person.id,
          ended_by_name: person.name,
          cancel_reason: reason,
        })
        .where("id", "=", reviewId)
        .where("state", "=", "open")
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1)
        throw new AppError("conflict", `The access review ${reviewId} was closed meanwhile.`);
    },
    () => ({
      target: { hsm: review.hsm, review: review.id },
      detail: { reason, pending: Number(review.pending) },
    }),
    db,
  );
  return (await reviewDetail(db, reviewId))!;
}
