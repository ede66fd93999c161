// POST /api/requests/[id]/reject – reject a pending request, with the reason (never your own)
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { apiRequestDetail, rejectBody, requestDetailShape } from "@/lib/requests/api-shapes";
import { requestIdParams } from "@/lib/requests/route-params";
import { decideChangeRequest } from "@/lib/requests/service";

const rejectRequest = withRoute({
  access: { permission: "requests.approve" },
  audit: { action: "request.reject" },
  schemas: { params: requestIdParams, body: rejectBody },
  response: { status: 200, description: "The rejected request", schema: requestDetailShape },
  handler: async ({ session, params, body, audit }) =>
    apiRequestDetail(
      await decideChangeRequest(session, params.id, "reject", { comment: body.reason }, audit),
    ),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: rejectRequest,
});
