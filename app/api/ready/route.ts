// GET /api/ready – readiness: every dependency the configuration names answers
import { checkDependencies } from "@/lib/health/checks";
import { withRoute } from "@/lib/http/with-route";
import { KEYWARD_VERSION } from "@/lib/version";

export const GET = withRoute({
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
