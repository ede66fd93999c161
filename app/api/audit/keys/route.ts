// GET /api/audit/keys – the public keys that sign the audit checkpoints, as a JWK Set
import { keySetShape } from "@/lib/audit/api-shapes";
import { auditKeySet } from "@/lib/audit/service";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

/*
 * Public on purpose: public keys reveal nothing, and whoever checks the checkpoints (an external
 * auditor with read access to the container, a script) must be able to get them without a
 * Keyward role. The trust decision is theirs to make out of band: compare the kid with the one
 * the operators recorded when the key was made.
 */
const keys = withRoute({
  access: "public",
  response: {
    status: 200,
    description: "The public keys that sign the audit checkpoints, as a JWK Set",
    schema: keySetShape,
  },
  handler: async () => auditKeySet(),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: keys });
