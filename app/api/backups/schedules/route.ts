// GET /api/backups/schedules – every backup schedule, in words, with its next time and last run
import { backupScheduleListShape } from "@/lib/backup/schedule-api-shapes";
import { scheduleViews } from "@/lib/backup/schedule-list";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const listBackupSchedules = withRoute({
  access: { permission: "backups.read" },
  response: {
    status: 200,
    description:
      "Every backup schedule by HSM and name; they change only through backup-schedule change requests",
    schema: backupScheduleListShape,
  },
  handler: async () => ({ schedules: await scheduleViews() }),
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listBackupSchedules,
});
