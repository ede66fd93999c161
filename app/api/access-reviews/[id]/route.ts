// GET /api/access-reviews/[id] – one access review with every assignment under review and its decision
import {
  apiReviewDetail,
  reviewDetailShape,
  reviewIdParams,
} from "@/lib/access-reviews/api-shapes";
import { accessReview } from "@/lib/access-reviews/portal";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const showReview = withRoute({
  access: { permission: "accessReviews.read" },
  schemas: { params: reviewIdParams },
  response: {
    status: 200,
    description:
      "The review: who confirmed or flagged each assignment, when and why, and each removal request's state",
    schema: reviewDetailShape,
  },
  handler: async ({ params }) => apiReviewDetail((await accessReview(params.id)).review),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: showReview });
