// GET /api/backups/runs/[id]/catalogue – the keys (with their versions) and the access a good backup holds
import {
  apiRunCatalogue,
  catalogueQuery,
  runCatalogueShape,
  runParams,
} from "@/lib/backup/api-shapes";
import { runCatalogue } from "@/lib/backup/service";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const readRunCatalogue = withRoute({
  access: { permission: "backups.read" },
  schemas: { params: runParams, query: catalogueQuery },
  response: {
    status: 200,
    description:
      "What the backup holds: its keys by name, each with the versions it holds (newest first), and the role assignments and custom roles it recorded. `key` keeps only the keys whose name contains it, case-insensitively (a substring match). 404, saying why, for a run without a catalogue (not succeeded, or its folder deleted by retention).",
    schema: runCatalogueShape,
  },
  handler: async ({ params, query }) =>
    apiRunCatalogue(await runCatalogue(params.id, { key: query.key })),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: readRunCatalogue,
});
