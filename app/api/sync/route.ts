// POST /api/sync – sync one HSM (incremental or full) or one key into the inventory now
import { z } from "zod";

import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { syncNow } from "@/lib/sync/on-demand";
import { hsmName, keyName } from "@/lib/validation/primitives";

const body = z
  .object({
    hsm: hsmName,
    kind: z.enum(["incremental", "full"]).default("incremental"),
    key: keyName.optional(),
  })
  .strict();

const startSyncNow = withRoute({
  access: { permission: "inventory.sync" },
  audit: { action: "sync.start" },
  response: {
    status: 202,
    description:
      'A sync of the HSM started: `{ runId, status: "running" }`; a key refresh answers 200 with `{ runId, status: "succeeded", key }`',
  },
  schemas: { body },
  handler: async ({ session, body: request, audit }) => {
    const answer = await syncNow(request, session.userOid, audit);
    return Response.json(answer, { status: answer.status === "running" ? 202 : 200 });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: startSyncNow,
});
