// POST /api/access-reviews/[id]/cancel – cancel an open access review, with the reason (key admins)
import {
  apiReviewDetail,
  cancelReviewBody,
  reviewDetailShape,
  reviewIdParams,
} from "@/lib/access-reviews/api-shapes";
import { cancelAccessReview } from "@/lib/access-reviews/portal";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const cancel = withRoute({
  access: { permission: "accessReviews.start" },
  audit: { action: "access-review.cancel" },
  schemas: { params: reviewIdParams, body: cancelReviewBody },
  response: {
    status: 200,
    description:
      "The review, cancelled: the decisions made stand, and so do the removal requests they filed",
    schema: reviewDetailShape,
  },
  handler: async ({ session, params, body, audit }) =>
    apiReviewDetail(await cancelAccessReview(session, params.id, body.reason, audit)),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: cancel });
