import "server-only";

import {
  progressOf,
  type ItemDecision,
  type ReviewProgress,
  type ReviewState,
} from "@/lib/access-reviews/rules";
import { keyOfScope, type PrincipalKind } from "@/lib/access/model";
import type { Db } from "@/lib/db/client";
import type { AccessReviewItemTable, AccessReviewTable } from "@/lib/db/schema/access-review/table";

/* Reading access reviews: the list with each review's progress, and one review with its items. */

export interface Person {
  id: string;
  name: string;
}

export interface AccessReviewSummary {
  id: string;
  hsm: string;
  state: ReviewState;
  note: string;
  startedBy: Person;
  startedAt: number;
  mirrorSyncedAt: number | null;
  progress: ReviewProgress;
  endedAt: number | null;
  endedBy: Person | null;
  cancelReason: string | null;
}

export interface AccessReviewItemView {
  assignment: string;
  position: number;
  scope: string;
  /** The key a key-scoped assignment is on; null for HSM-wide ones. */
  key: string | null;
  roleDefinitionId: string;
  roleName: string;
  principal: { id: string; name: string; type: PrincipalKind };
  decision: ItemDecision;
  decidedBy: Person | null;
  decidedAt: number | null;
  comment: string | null;
  /** The removal request a flag filed, with its state now. */
  request: { id: string; state: string; outcome: string | null } | null;
  /** The flagged assignment was gone from the HSM already: nothing to remove. */
  alreadyRemoved: boolean;
}

export interface AccessReviewDetail extends AccessReviewSummary {
  items: AccessReviewItemView[];
}

const personOf = (id: string | null, name: string | null): Person | null =>
  id === null ? null : { id, name: name ?? id };

function summaryOf(row: AccessReviewTable, progress: ReviewProgress): AccessReviewSummary {
  return {
    id: row.id,
    hsm: row.hsm,
    state: row.state as ReviewState,
    note: row.note,
    startedBy: { id: row.started_by, name: row.started_by_name },
    startedAt: Number(row.started_at),
    mirrorSyncedAt: row.mirror_synced_at === null ? null : Number(row.mirror_synced_at),
    progress,
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    endedBy: personOf(row.ended_by, row.ended_by_name),
    cancelReason: row.cancel_reason,
  };
}

type ItemRow = AccessReviewItemTable & {
  request_state: string | null;
  request_outcome: string | null;
};

function itemOf(row: ItemRow): AccessReviewItemView {
  return {
    assignment: row.assignment,
    position: Number(row.position),
    scope: row.scope,
    key: keyOfScope(row.scope),
    roleDefinitionId: row.role_definition_id,
    roleName: row.role_name,
    principal: {
      id: row.principal_id,
      name: row.principal_name,
      type: row.principal_type as PrincipalKind,
    },
    decision: row.decision as ItemDecision,
    decidedBy: personOf(row.decided_by, row.decided_by_name),
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    comment: row.comment,
    request:
      row.request_id === null
        ? null
        : {
            id: row.request_id,
            state: row.request_state ?? "unknown",
            outcome: row.request_outcome,
          },
    alreadyRemoved: Number(row.already_removed) === 1,
  };
}

/** The progress of each of these reviews, counted by the database. */
async function progressByReview(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, ReviewProgress>> {
  const result = new Map<string, ReviewProgress>(ids.map((id) => [id, progressOf([])]));
  if (ids.length === 0) return result;
  const rows = await db
    .selectFrom("access_review_item")
    .select(["review_id", "decision", (eb) => eb.fn.countAll<number>().as("count")])
    .where("review_id", "in", ids)
    .groupBy(["review_id", "decision"])
    .execute();
  for (const row of rows) {
    const progress = result.get(row.review_id);
    const decision = row.decision as ItemDecision;
    if (!progress) continue;
    progress.total += Number(row.count);
    progress[decision] += Number(row.count);
  }
  return result;
}

export interface ReviewFilters {
  hsm?: string | undefined;
  state?: ReviewState | undefined;
  /** Only reviews that ended (completed or cancelled) in [from, to). */
  endedFrom?: number;
  endedTo?: number;
  limit?: number;
}

/** Access reviews, newest first. */
export async function listReviews(
  db: Db,
  filters: ReviewFilters = {},
): Promise<AccessReviewSummary[]> {
  const rows = await db
    .selectFrom("access_review")
    .selectAll()
    .$if(filters.hsm !== undefined, (q) => q.where("hsm", "=", filters.hsm!))
    .$if(filters.state !== undefined, (q) => q.where("state", "=", filters.state!))
    .$if(filters.endedFrom !== undefined, (q) => q.where("ended_at", ">=", filters.endedFrom!))
    .$if(filters.endedTo !== undefined, (q) => q.where("ended_at", "<", filters.endedTo!))
    .orderBy("started_at", "desc")
    .orderBy("id")
    .limit(filters.limit ?? 200)
    .execute();
  const progress = await progressByReview(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => summaryOf(row, progress.get(row.id) ?? progressOf([])));
}

export async function findReviewRow(db: Db, id: string): Promise<AccessReviewTable | undefined> {
  return db.selectFrom("access_review").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Items of a review in review order, each with its removal request's state now. */
export async function reviewItemsOf(db: Db, id: string): Promise<AccessReviewItemView[]> {
  const rows = await db
    .selectFrom("access_review_item as item")
    .leftJoin("change_request as request", "request.id", "item.request_id")
    .selectAll("item")
    .select(["request.state as request_state", "request.outcome as request_outcome"])
    .where("item.review_id", "=", id)
    .orderBy("item.position")
    .execute();
  return rows.map(itemOf);
}

export async function reviewDetail(db: Db, id: string): Promise<AccessReviewDetail | null> {
  const row = await findReviewRow(db, id);
  if (!row) return null;
  const items = await reviewItemsOf(db, id);
  return {
    ...summaryOf(row, progressOf(items.map((item) => item.decision))),
    items,
  };
}
