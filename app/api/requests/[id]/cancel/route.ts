// POST /api/requests/[id]/cancel – the requester withdraws a pending request
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { apiRequestDetail, requestDetailShape } from "@/lib/requests/api-shapes";
import { requestIdParams } from "@/lib/requests/route-params";
import { cancelChangeRequest } from "@/lib/requests/service";

const cancelRequest = withRoute({
  access: { permission: "requests.read" },
  audit: { action: "request.cancel" },
  schemas: { params: requestIdParams },
  response: { status: 200, description: "The cancelled request", schema: requestDetailShape },
  handler: async ({ session, params, audit }) =>
    apiRequestDetail(await cancelChangeRequest(session, params.id, audit)),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: cancelRequest,
});
