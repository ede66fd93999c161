// GET /api/access-reviews – access reviews, newest first; POST /api/access-reviews – start one of an HSM's role assignments (key admins)
import {
  apiReviewDetail,
  apiReviewSummary,
  reviewDetailShape,
  reviewFiltersSchema,
  reviewListShape,
  startReviewBody,
} from "@/lib/access-reviews/api-shapes";
import { accessReviews, startAccessReview } from "@/lib/access-reviews/portal";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const listReviews = withRoute({
  access: { permission: "accessReviews.read" },
  schemas: { query: reviewFiltersSchema },
  response: {
    status: 200,
    description: "Access reviews with their progress, newest first",
    schema: reviewListShape,
  },
  handler: async ({ query }) => ({
    reviews: (await accessReviews({ hsm: query.hsm, state: query.state })).map(apiReviewSummary),
  }),
});

const startReview = withRoute({
  access: { permission: "accessReviews.start" },
  audit: { action: "access-review.start" },
  schemas: { body: startReviewBody },
  response: {
    status: 201,
    description:
      "The review, holding every role assignment of the HSM as the inventory has it (409 while another review of the HSM is open)",
    schema: reviewDetailShape,
  },
  handler: async ({ session, body, audit }) => {
    const review = await startAccessReview(session, body, audit);
    return Response.json(apiReviewDetail(review), {
      status: 201,
      headers: { location: `/api/access-reviews/${review.id}` },
    });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listReviews,
  POST: startReview,
});
