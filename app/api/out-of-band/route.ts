// GET /api/out-of-band?hsm=&state=open|explained – changes made in an HSM that the portal did not make
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import {
  apiOutOfBand,
  outOfBandFiltersSchema,
  outOfBandListShape,
} from "@/lib/out-of-band/api-shapes";
import { listOutOfBand } from "@/lib/out-of-band/service";

const listChanges = withRoute({
  access: { permission: "outOfBand.read" },
  schemas: { query: outOfBandFiltersSchema },
  response: {
    status: 200,
    description:
      "Out-of-band changes found by the syncs (key or assignment, what changed, before → after, first seen), newest first",
    schema: outOfBandListShape,
  },
  handler: async ({ query }) => ({
    changes: (await listOutOfBand({ hsm: query.hsm, state: query.state })).map(apiOutOfBand),
  }),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: listChanges });
