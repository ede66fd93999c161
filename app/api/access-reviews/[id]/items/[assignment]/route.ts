// POST /api/access-reviews/[id]/items/[assignment] – confirm an assignment under review, or flag it for removal (approvers)
import {
  apiReviewDetail,
  decideItemBody,
  reviewDetailShape,
  reviewItemParams,
} from "@/lib/access-reviews/api-shapes";
import { decideAccessReviewItem } from "@/lib/access-reviews/portal";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const decide = withRoute({
  access: { permission: "accessReviews.decide" },
  audit: { action: "access-review.decide" },
  schemas: { params: reviewItemParams, body: decideItemBody },
  response: {
    status: 200,
    description:
      "The review after the decision; a flag filed a role-assignment.delete request (item.request), and the last decision completes the review",
    schema: reviewDetailShape,
  },
  handler: async ({ session, params, body, audit }) =>
    apiReviewDetail(
      await decideAccessReviewItem(
        session,
        params.id,
        params.assignment,
        { verdict: body.decision, comment: body.comment },
        audit,
      ),
    ),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: decide });
