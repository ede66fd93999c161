// GET /api/grants?mine=&state=&hsm=&key= – time-limited role grants, with when each ends
import { apiGrant, grantFiltersSchema, grantListShape } from "@/lib/grants/api-shapes";
import { grantsFor } from "@/lib/grants/service";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const listGrants = withRoute({
  access: { permission: "requests.read" },
  schemas: { query: grantFiltersSchema },
  response: {
    status: 200,
    description:
      "Time-limited grants, soonest end first (ended ones: latest first); requesters see theirs and their groups' keys'",
    schema: grantListShape,
  },
  handler: async ({ session, query }) => ({
    grants: (await grantsFor(session, query)).map(apiGrant),
  }),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: listGrants });
