import "server-only";

import { decideItem } from "@/lib/access-reviews/decide";
import type { ReviewVerdict } from "@/lib/access-reviews/rules";
import {
  cancelReview,
  startReview,
  type ReviewDeps,
  type Reviewer,
} from "@/lib/access-reviews/service";
import { listReviews, reviewDetail, type ReviewFilters } from "@/lib/access-reviews/store";
import { groupsByMember } from "@/lib/access/model";
import type { AuditContext } from "@/lib/audit/types";
import type { PortalSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { readDirectory } from "@/lib/directory/store";
import { AppError } from "@/lib/errors";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { configuredHsms } from "@/lib/hsm/targets";
import { fileForWorkflow } from "@/lib/requests/service";

/*
 * Access reviews as routes and pages use them: the signed-in person becomes the starter or the
 * reviewer, and a flag's removal request is filed through the change-request service.
 */

async function deps(): Promise<ReviewDeps> {
  return { db: await getDb(), fileRemoval: fileForWorkflow };
}

const person = (session: PortalSession) => ({ id: session.userOid, name: session.displayName });

/** The reviewer with every group they are in: the token's groups and the directory's nesting. */
export async function reviewerOf(session: PortalSession): Promise<Reviewer> {
  const directory = await readDirectory(await getDb());
  const nested = groupsByMember(directory).get(session.userOid);
  return {
    ...person(session),
    groups: new Set([...session.groups, ...(nested ?? [])].map((id) => id.toLowerCase())),
  };
}

export async function startAccessReview(
  session: PortalSession,
  input: { hsm: string; note: string },
  audit: AuditContext,
) {
  portalHsmOrThrow(input.hsm);
  return startReview(await deps(), person(session), input, audit);
}

export async function decideAccessReviewItem(
  session: PortalSession,
  reviewId: string,
  assignment: string,
  input: { verdict: ReviewVerdict; comment: string },
  audit: AuditContext,
) {
  return decideItem(await deps(), await reviewerOf(session), reviewId, assignment, input, audit);
}

export async function cancelAccessReview(
  session: PortalSession,
  reviewId: string,
  reason: string,
  audit: AuditContext,
) {
  return cancelReview(await deps(), person(session), reviewId, reason, audit);
}

export async function accessReviews(filters: ReviewFilters = {}) {
  return listReviews(await getDb(), filters);
}

/** The reviews page: every review, the HSMs a review may be started for, and when it was read. */
export async function accessReviewsPageData() {
  return {
    reviews: await accessReviews(),
    hsms: configuredHsms().map((hsm) => hsm.name),
    now: Date.now(),
  };
}

export async function accessReview(id: string) {
  const review = await reviewDetail(await getDb(), id);
  if (!review) throw new AppError("not_found", `There is no access review ${id}.`);
  return { review, now: Date.now() };
}
