import { dueRuns, type Schedule } from "@/lib/backup/schedule";

/*
 * Which times of a schedule the scheduler owes at one tick, pure. The floor is the latest time
 * already recorded (run, missed or failed — by any instance), and never before the schedule
 * began to run as it is now (`slotsFrom`): a schedule owes nothing from before it existed, was
 * resumed or had its times changed. The latest owed time is run; the earlier ones were missed.
 */

export interface OwedSchedule extends Schedule {
  paused: boolean;
  slotsFrom: number;
}

export interface OwedSlots {
  runNow: number | null;
  missed: number[];
  /** More were missed than are listed (they are only said to exist). */
  moreMissed: boolean;
}

export function owedSlots(
  schedule: OwedSchedule,
  lastRecorded: number | null,
  now: number,
): OwedSlots {
  if (schedule.paused) return { runNow: null, missed: [], moreMissed: false };
  const since = Math.max(schedule.slotsFrom, lastRecorded ?? Number.NEGATIVE_INFINITY);
  return dueRuns(schedule, since, now);
}
