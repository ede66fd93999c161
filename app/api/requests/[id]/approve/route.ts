// POST /api/requests/[id]/approve – approve a pending request (never your own; sign-in ≤ 10 minutes old)
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { apiRequestDetail, approveBody, requestDetailShape } from "@/lib/requests/api-shapes";
import { requestIdParams } from "@/lib/requests/route-params";
import { decideChangeRequest } from "@/lib/requests/service";

const approveRequest = withRoute({
  access: { permission: "requests.approve" },
  audit: { action: "request.approve" },
  schemas: { params: requestIdParams, body: approveBody },
  response: {
    status: 200,
    description:
      "The request after the approval: still pending, or approved once the quorum is reached",
    schema: requestDetailShape,
  },
  handler: async ({ session, params, body, audit }) =>
    apiRequestDetail(await decideChangeRequest(session, params.id, "approve", body, audit)),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: approveRequest,
});
