import { Cron } from "croner";
import cronstrue from "cronstrue";

/*
 * When backups run: a cron expression read in an IANA time zone (croner computes the times, so
 * daylight-saving changes follow the zone: a time skipped in spring runs at the first moment
 * after the change, a time repeated in autumn runs once), said in words by cronstrue, and which
 * times a portal that was down has missed. Pure: the clock is passed in.
 */

export interface Schedule {
  cron: string;
  timeZone: string;
}

/** Why a cron expression or time zone cannot schedule backups, or null when both are good. */
export function scheduleProblem({ cron, timeZone }: Schedule): string | null {
  if (!isTimeZone(timeZone)) return `${timeZone} is not an IANA time zone such as Europe/Berlin.`;
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5)
    return "A schedule has five fields: minute, hour, day of month, month and day of week.";
  try {
    if (cronOf({ cron, timeZone }).nextRun(new Date(0)) === null) return "The schedule never runs.";
  } catch (error) {
    return `Not a cron expression: ${error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error)}.`;
  }
  return null;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return name.includes("/") || name === "UTC";
  } catch {
    return false;
  }
}

/** The next `count` times after `after` (exclusive), in epoch milliseconds. */
export function nextRuns(schedule: Schedule, after: number, count: number): number[] {
  return cronOf(schedule)
    .nextRuns(count, new Date(after))
    .map((date) => date.getTime());
}

/** "At 02:00, every day (Europe/Berlin)". */
export function describeSchedule(schedule: Schedule): string {
  const words = cronstrue.toString(schedule.cron, { use24HourTimeFormat: true, verbose: true });
  return `${words} (${schedule.timeZone})`;
}

/** How many missed times are listed one by one; older ones are only said to exist. */
export const MISSED_LISTED = 100;

const cronOf = (schedule: Schedule) =>
  new Cron(schedule.cron, { timezone: schedule.timeZone, paused: true });

/**
 * The runs a schedule owed after `since` (the last time it was due, or its creation) up to now:
 * the latest is run now, once; the earlier ones are reported as missed (the latest hundred,
 * oldest first), never run.
 */
export function dueRuns(
  schedule: Schedule,
  since: number,
  now: number,
): { runNow: number | null; missed: number[]; moreMissed: boolean } {
  const due = cronOf(schedule)
    .previousRuns(MISSED_LISTED + 2, new Date(now + 1))
    .map((date) => date.getTime())
    .filter((time) => time > since && time <= now)
    .reverse();
  return {
    runNow: due.at(-1) ?? null,
    missed: due.slice(Math.max(0, due.length - 1 - MISSED_LISTED), -1),
    moreMissed: due.length > MISSED_LISTED + 1,
  };
}
