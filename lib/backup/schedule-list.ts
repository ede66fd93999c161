import "server-only";

import { describeSchedule, nextRuns } from "@/lib/backup/schedule";
import type { BackupScheduleView } from "@/lib/backup/schedule-api-shapes";
import { listSchedules } from "@/lib/backup/schedules";
import { getDb, type Db } from "@/lib/db/client";

/* Every backup schedule as the API shows it: in words, with its next time and its last run. */

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

export async function scheduleViews(
  now = Date.now(),
  database?: Db,
): Promise<BackupScheduleView[]> {
  const db = database ?? (await getDb());
  const schedules = await listSchedules(db);
  const views: BackupScheduleView[] = [];
  for (const schedule of schedules) {
    const last = await db
      .selectFrom("backup_run")
      .select(["id", "state", "scheduled_for", "finished_at"])
      .where("hsm", "=", schedule.hsm)
      .where("schedule_name", "=", schedule.name)
      .where("trigger", "=", "schedule")
      .orderBy("scheduled_for", "desc")
      .limit(1)
      .executeTakeFirst();
    const next = schedule.paused ? null : (nextRuns(schedule, now, 1)[0] ?? null);
    views.push({
      hsm: schedule.hsm,
      name: schedule.name,
      cron: schedule.cron,
      cronInWords: describeSchedule(schedule),
      timeZone: schedule.timeZone,
      container: schedule.container,
      auth: schedule.auth,
      retention: schedule.retention,
      paused: schedule.paused,
      nextRunAt: iso(next),
      lastRun: last
        ? {
            id: last.id,
            outcome: last.state,
            scheduledFor: iso(last.scheduled_for === null ? null : Number(last.scheduled_for)),
            finishedAt: iso(last.finished_at === null ? null : Number(last.finished_at)),
          }
        : null,
      updatedAt: iso(schedule.updatedAt)!,
      updatedByRequest: schedule.updatedByRequest,
    });
  }
  return views;
}
