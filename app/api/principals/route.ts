// GET /api/principals?kind=servicePrincipal&q= – applications and managed identities to grant access to
import { z } from "zod";

import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { searchServicePrincipals } from "@/lib/self-service/principals";

const PAGE = 20;

const principalQuery = z.strictObject({
  kind: z.literal("servicePrincipal", {
    message: "must be servicePrincipal: access is granted to applications and managed identities",
  }),
  q: z
    .string()
    .trim()
    .max(100, "must be at most 100 characters")
    .default("")
    .meta({ description: "The start of the display name (case-insensitive)" }),
});

const principalListShape = z
  .object({
    principals: z.array(
      z.object({ id: z.string(), displayName: z.string(), appId: z.string().nullable() }),
    ),
  })
  .meta({ id: "PrincipalList" });

const listPrincipals = withRoute({
  access: { permission: "requests.fileOwn" },
  schemas: { query: principalQuery },
  response: {
    status: 200,
    description: `Up to ${PAGE} service principals from the directory whose name starts with q`,
    schema: principalListShape,
  },
  handler: async ({ query }) => ({ principals: await searchServicePrincipals(query.q, PAGE) }),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listPrincipals,
});
