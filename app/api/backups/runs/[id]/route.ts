// GET /api/backups/runs/[id] – one backup run: state, times, folder and error in words
import { apiBackupRun, backupRunShape, runParams } from "@/lib/backup/api-shapes";
import { getRun } from "@/lib/backup/service";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const readBackupRun = withRoute({
  access: { permission: "backups.read" },
  schemas: { params: runParams },
  response: { status: 200, description: "The backup run", schema: backupRunShape },
  handler: async ({ params }) => apiBackupRun(await getRun(params.id)),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: readBackupRun,
});
