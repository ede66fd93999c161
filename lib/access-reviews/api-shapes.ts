import { z } from "zod";

import { ITEM_DECISIONS, MIN_FLAG_REASON, REVIEW_STATES } from "@/lib/access-reviews/rules";
import type { AccessReviewDetail, AccessReviewSummary } from "@/lib/access-reviews/store";
import { guid, hsmName } from "@/lib/validation/primitives";
import { optionalParam } from "@/lib/validation/search-params";

/* The access-review API's inputs and answers, parsed by the routes and published in the OpenAPI document. */

export const reviewFiltersSchema = z.strictObject({
  hsm: optionalParam(hsmName).meta({ description: "Only this HSM's reviews" }),
  state: optionalParam(
    z.enum(REVIEW_STATES, { message: "must be open, completed or cancelled" }),
  ).meta({ description: "open, completed or cancelled (default: all)" }),
});

export const startReviewBody = z
  .strictObject({
    hsm: hsmName,
    note: z
      .string()
      .trim()
      .max(1000, "must be at most 1,000 characters")
      .default("")
      .meta({ description: "Why the review is run: the audit or period it serves" }),
  })
  .meta({ id: "StartAccessReview" });

export const reviewIdParams = z.object({
  id: z.uuid({ message: "must be an access review id (a UUID)" }),
});

export const reviewItemParams = reviewIdParams.extend({
  assignment: guid.meta({ description: "The role assignment's name (a GUID)" }),
});

export const decideItemBody = z
  .strictObject({
    decision: z.enum(["confirm", "flag"], { message: "must be confirm or flag" }),
    comment: z
      .string()
      .trim()
      .max(1000, "must be at most 1,000 characters")
      .default("")
      .meta({
        description: `Why; required (at least ${MIN_FLAG_REASON} characters) for a flag, which becomes the removal request's justification`,
      }),
  })
  .meta({ id: "DecideAccessReviewItem" });

export const cancelReviewBody = z
  .strictObject({
    reason: z
      .string({ message: "say why the review is cancelled" })
      .trim()
      .min(10, "say in at least 10 characters why the review is cancelled")
      .max(1000, "must be at most 1,000 characters"),
  })
  .meta({ id: "CancelAccessReview" });

const iso = z.iso.datetime();
const person = z.object({ id: z.string(), name: z.string() });

const summaryFields = {
  id: z.string(),
  hsm: z.string(),
  state: z.enum(REVIEW_STATES),
  note: z.string(),
  startedBy: person,
  startedAt: iso,
  mirrorSyncedAt: iso
    .nullable()
    .meta({ description: "When the inventory the items were copied from was last synced" }),
  progress: z.object({
    total: z.number().int(),
    confirmed: z.number().int(),
    flagged: z.number().int(),
    pending: z.number().int(),
  }),
  endedAt: iso.nullable(),
  endedBy: person.nullable(),
  cancelReason: z.string().nullable(),
};

export const reviewSummaryShape = z.object(summaryFields).meta({ id: "AccessReviewSummary" });

export const reviewItemShape = z
  .object({
    assignment: z.string(),
    scope: z.string(),
    key: z.string().nullable(),
    roleDefinitionId: z.string(),
    roleName: z.string(),
    principal: z.object({ id: z.string(), name: z.string(), type: z.string() }),
    decision: z.enum(ITEM_DECISIONS),
    decidedBy: person.nullable(),
    decidedAt: iso.nullable(),
    comment: z.string().nullable(),
    request: z
      .object({ id: z.string(), state: z.string(), outcome: z.string().nullable() })
      .nullable()
      .meta({ description: "The removal request a flag filed, with its state now" }),
    alreadyRemoved: z
      .boolean()
      .meta({ description: "The flagged assignment was gone from the HSM already" }),
  })
  .meta({ id: "AccessReviewItem" });

export const reviewDetailShape = z
  .object({ ...summaryFields, items: z.array(reviewItemShape) })
  .meta({ id: "AccessReview" });

export const reviewListShape = z
  .object({ reviews: z.array(reviewSummaryShape) })
  .meta({ id: "AccessReviewList" });

const at = (ms: number) => new Date(ms).toISOString();
const atOrNull = (ms: number | null) => (ms === null ? null : at(ms));

export function apiReviewSummary(review: AccessReviewSummary): z.output<typeof reviewSummaryShape> {
  return {
    id: review.id,
    hsm: review.hsm,
    state: review.state,
    note: review.note,
    startedBy: review.startedBy,
    startedAt: at(review.startedAt),
    mirrorSyncedAt: atOrNull(review.mirrorSyncedAt),
    progress: review.progress,
    endedAt: atOrNull(review.endedAt),
    endedBy: review.endedBy,
    cancelReason: review.cancelReason,
  };
}

export function apiReviewDetail(review: AccessReviewDetail): z.output<typeof reviewDetailShape> {
  return {
    ...apiReviewSummary(review),
    items: review.items.map(({ position: _position, ...item }) => ({
      ...item,
      decidedAt: atOrNull(item.decidedAt),
    })),
  };
}
