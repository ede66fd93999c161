// GET /api/backups/keys/[hsm]/[name] – every good backup that holds the key, with the versions it holds
import { apiBackupsHoldingKey, backupsHoldingKeyShape, keyParams } from "@/lib/backup/api-shapes";
import { backupsHoldingKey } from "@/lib/backup/service";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const readBackupsHoldingKey = withRoute({
  access: { permission: "backups.read" },
  schemas: { params: keyParams },
  response: {
    status: 200,
    description:
      "The good backups whose folders are still in their container and hold this key (its name in any case), newest first, each with the versions it holds; an empty list when none does. 404 for an HSM the portal does not know.",
    schema: backupsHoldingKeyShape,
  },
  handler: async ({ params }) =>
    apiBackupsHoldingKey(params.hsm, params.name, await backupsHoldingKey(params.hsm, params.name)),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: readBackupsHoldingKey,
});
