// GET /api/ready – readiness: the status for anyone; each dependency for status readers and the readiness token
import { hasPermission } from "@/lib/auth/permissions";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { readinessChecks } from "@/lib/health/checks";
import { readinessAnswer, readinessAudience } from "@/lib/health/readiness";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { KEYWARD_VERSION } from "@/lib/version";

const reportReadiness = withRoute({
  access: "public",
  handler: async ({ request, session }) => {
    const audience = readinessAudience({
      authorization: request.headers.get("authorization"),
      readyToken: getEnv().readyToken,
      mayReadStatus: session !== null && hasPermission(session.roles, "status.read"),
    });
    if (audience === "invalid-token")
      throw new AppError(
        "unauthenticated",
        "This bearer token is not the portal's readiness token. Send the configured token, or no Authorization header for the status alone.",
        { headers: { "www-authenticate": 'Bearer error="invalid_token"' } },
      );
    const { value: checks, at } = await readinessChecks();
    const { httpStatus, body } = readinessAnswer(checks, at, audience, KEYWARD_VERSION);
    return Response.json(body, { status: httpStatus });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: reportReadiness,
});
