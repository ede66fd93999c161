import "server-only";

import type { ScheduleState, ScheduleUpsert } from "@/lib/backup/schedule-items";
import type { Db } from "@/lib/db/client";
import type { BackupScheduleTable } from "@/lib/db/schema/backup-schedule/table";

/*
 * The backup_schedule table: read by the scheduler, the API and the requests' stale check;
 * written only by the executor, inside the transaction that settles an approved request's item.
 */

export interface BackupSchedule extends ScheduleState {
  hsm: string;
  name: string;
  slotsFrom: number;
  createdAt: number;
  updatedAt: number;
  updatedByRequest: string;
}

export function scheduleOf(row: BackupScheduleTable): BackupSchedule {
  return {
    hsm: row.hsm,
    name: row.name,
    cron: row.cron,
    timeZone: row.time_zone,
    container: row.container_url,
    auth: row.auth,
    retention: { keepLast: row.retention_keep_last, maxAgeDays: row.retention_max_age_days },
    paused: Boolean(row.paused),
    slotsFrom: Number(row.slots_from),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    updatedByRequest: row.updated_by_request,
  };
}

/** Just what requests compare: the schedule's state, or null when there is none. */
export function stateOf(schedule: BackupSchedule | null): ScheduleState | null {
  if (!schedule) return null;
  const { cron, timeZone, container, auth, retention, paused } = schedule;
  return { cron, timeZone, container, auth, retention, paused };
}

export async function getSchedule(db: Db, hsm: string, name: string) {
  const row = await db
    .selectFrom("backup_schedule")
    .selectAll()
    .where("hsm", "=", hsm)
    .where("name", "=", name)
    .executeTakeFirst();
  return row ? scheduleOf(row) : null;
}

/** Every schedule, by HSM and name. */
export async function listSchedules(db: Db): Promise<BackupSchedule[]> {
  const rows = await db
    .selectFrom("backup_schedule")
    .selectAll()
    .orderBy("hsm")
    .orderBy("name")
    .execute();
  return rows.map(scheduleOf);
}

/** Creates or replaces a schedule, in the caller's transaction. */
export async function storeSchedule(
  trx: Db,
  hsm: string,
  item: ScheduleUpsert,
  requestId: string,
  at: number,
): Promise<void> {
  const held = await getSchedule(trx, hsm, item.name);
  // A paused stretch, or times of an expression no longer in force, are not owed afterwards.
  const whenChanged =
    !held ||
    held.cron !== item.cron ||
    held.timeZone !== item.timeZone ||
    held.paused !== item.paused;
  const values = {
    cron: item.cron,
    time_zone: item.timeZone,
    container_url: item.container,
    auth: item.auth,
    retention_keep_last: item.retention.keepLast ?? null,
    retention_max_age_days: item.retention.maxAgeDays ?? null,
    paused: item.paused ? 1 : 0,
    slots_from: whenChanged ? at : held.slotsFrom,
    updated_at: at,
    updated_by_request: requestId,
  };
  if (held)
    await trx
      .updateTable("backup_schedule")
      .set(values)
      .where("hsm", "=", hsm)
      .where("name", "=", item.name)
      .execute();
  else
    await trx
      .insertInto("backup_schedule")
      .values({ hsm, name: item.name, created_at: at, ...values })
      .execute();
}

export async function deleteSchedule(trx: Db, hsm: string, name: string): Promise<void> {
  await trx.deleteFrom("backup_schedule").where("hsm", "=", hsm).where("name", "=", name).execute();
}

/** The latest time of a schedule that has a run recorded (run, missed, or failed), or null. */
export async function lastRecordedSlot(
  db: Db,
  hsm: string,
  scheduleName: string,
): Promise<number | null> {
  const row = await db
    .selectFrom("backup_run")
    .select((eb) => eb.fn.max("scheduled_for").as("last"))
    .where("hsm", "=", hsm)
    .where("schedule_name", "=", scheduleName)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? null : Number(row.last);
}
