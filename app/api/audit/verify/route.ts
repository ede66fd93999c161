// GET /api/audit/verify – walk the audit chain and its signed checkpoints now: ok, head, problems
import { verificationShape } from "@/lib/audit/api-shapes";
import { describeVerification, verifyAuditLog } from "@/lib/audit/verification";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const verifyNow = withRoute({
  access: { permission: "audit.read" },
  response: {
    status: 200,
    description: "The outcome of walking the chain against every signed checkpoint (recorded)",
    schema: verificationShape,
  },
  handler: async () => describeVerification(await verifyAuditLog()),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: verifyNow });
