// GET /api/requests/[id] – one change request: items before/after, decisions, policy, what-if, timeline
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { apiRequestDetail, requestDetailShape } from "@/lib/requests/api-shapes";
import { requestIdParams } from "@/lib/requests/route-params";
import { requestView } from "@/lib/requests/service";

const getRequest = withRoute({
  access: { permission: "requests.read" },
  schemas: { params: requestIdParams },
  response: { status: 200, description: "The change request", schema: requestDetailShape },
  handler: async ({ session, params }) => {
    const view = await requestView(session, params.id);
    return apiRequestDetail(view.request, view.impact);
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: getRequest });
