// GET /api/health – liveness: the process answers, its database answers, and its version
import { checkDatabaseOnly } from "@/lib/health/checks";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { KEYWARD_VERSION } from "@/lib/version";

const reportLiveness = withRoute({
  access: "public",
  handler: async () => {
    const database = await checkDatabaseOnly();
    return Response.json(
      {
        status: database.status,
        version: KEYWARD_VERSION,
        uptimeSeconds: Math.round(process.uptime()),
        checks: { database },
      },
      { status: database.status === "pass" ? 200 : 503 },
    );
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: reportLiveness,
});
