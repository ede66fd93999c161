// POST /api/out-of-band/[id]/explain – mark an out-of-band change as explained, with the reason (key admins)
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import {
  apiOutOfBand,
  explainBody,
  outOfBandIdParams,
  outOfBandShape,
} from "@/lib/out-of-band/api-shapes";
import { explainOutOfBand } from "@/lib/out-of-band/service";

const explainChange = withRoute({
  access: { permission: "outOfBand.explain" },
  audit: { action: "out-of-band.explain" },
  schemas: { params: outOfBandIdParams, body: explainBody },
  response: { status: 200, description: "The change, now explained", schema: outOfBandShape },
  handler: async ({ session, params, body, audit }) =>
    apiOutOfBand(
      await explainOutOfBand(
        params.id,
        body.reason,
        { id: session.userOid, name: session.displayName },
        audit,
      ),
    ),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: explainChange,
});
