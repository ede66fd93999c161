// GET /api/backups/runs – backup runs, newest first; POST /api/backups/runs – back up an HSM now
import {
  apiBackupRun,
  backUpNowBody,
  backupRunListShape,
  backupRunShape,
  runFilterQuery,
} from "@/lib/backup/api-shapes";
import { backUpNow, listRuns } from "@/lib/backup/service";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const listBackupRuns = withRoute({
  access: { permission: "backups.read" },
  schemas: { query: runFilterQuery },
  response: {
    status: 200,
    description:
      "Backup runs, newest first (by start, or by the scheduled time of a missed run), optionally of one HSM and in one state",
    schema: backupRunListShape,
  },
  handler: async ({ query }) => ({ runs: (await listRuns(query)).map(apiBackupRun) }),
});

// The runner records `backup.start` in the run's own transaction and tells the audit context.
const startBackupNow = withRoute({
  access: { permission: "backups.run" },
  audit: { action: "backup.start" },
  schemas: { body: backUpNowBody },
  response: {
    status: 202,
    description:
      "The backup started: the run as recorded (running); follow it at `GET /api/backups/runs/{id}`. 409 while a backup of the HSM runs, saying since when.",
    schema: backupRunShape,
  },
  handler: async ({ body, audit }) => {
    const run = await backUpNow(audit, body.hsm);
    return Response.json(apiBackupRun(run), {
      status: 202,
      headers: { location: `/api/backups/runs/${run.id}` },
    });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listBackupRuns,
  POST: startBackupNow,
});
