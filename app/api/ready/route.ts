// GET /api/ready – readiness: every dependency the configuration names answers
import { checkDependencies } from "@/lib/health/checks";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { KEYWARD_VERSION } from "@/lib/version";

const reportReadiness = withRoute({
  access: "public",
  handler: async () => {
    const checks = await checkDependencies();
    const ready = checks.every((check) => check.status === "pass");
    return Response.json(
      { status: ready ? "pass" : "fail", version: KEYWARD_VERSION, checks },
      { status: ready ? 200 : 503 },
    );
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: reportReadiness,
});
