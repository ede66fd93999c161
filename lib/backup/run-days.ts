import type { BackupRunState } from "@/lib/db/schema/backup/table";

/*
 * The backups page's calendar strip: an HSM's runs bucketed into the last days (UTC, like every
 * time the portal prints), each day with one state to colour it and a sentence to say it. Pure.
 */

export type DayState = "good" | "failed" | "missed" | "running" | "none";

export interface RunDay {
  /** The day as YYYY-MM-DD (UTC). */
  day: string;
  state: DayState;
  /** "2 Dec: 1 good backup, 1 failed". */
  label: string;
}

/** What the strip needs of a run: its state and when it ran (or was due, for a missed one). */
export interface DayRun {
  state: BackupRunState;
  startedAt: number | null;
  scheduledFor: number | null;
  createdAt: number;
}

const DAY_MS = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function dayLabel(start: number): string {
  const date = new Date(start);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

export interface DayCounts {
  /** The day as YYYY-MM-DD (UTC). */
  day: string;
  /** Its first millisecond. */
  start: number;
  good: number;
  /** Runs that ended failed or interrupted. */
  failed: number;
  missed: number;
  running: number;
}

/** The runs of the `days` days up to and including today (oldest first), counted by outcome. */
export function runDayCounts(runs: readonly DayRun[], now: number, days = 30): DayCounts[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const first = today - (days - 1) * DAY_MS;
  const counts = Array.from({ length: days }, (_, index) => ({
    day: new Date(first + index * DAY_MS).toISOString().slice(0, 10),
    start: first + index * DAY_MS,
    good: 0,
    failed: 0,
    missed: 0,
    running: 0,
  }));
  for (const run of runs) {
    const at = run.startedAt ?? run.scheduledFor ?? run.createdAt;
    const index = Math.floor((at - first) / DAY_MS);
    const count = counts[index];
    if (!count || at < first) continue;
    if (run.state === "succeeded") count.good += 1;
    else if (run.state === "failed" || run.state === "interrupted") count.failed += 1;
    else if (run.state === "missed") count.missed += 1;
    else count.running += 1;
  }
  return counts;
}

/**
 * The `days` days up to and including today (oldest first). A day is good when any backup
 * succeeded that day; failed when runs ended only failed or interrupted; missed when only
 * scheduled times were missed; running while its only run is still going; none without runs.
 */
export function runDays(runs: readonly DayRun[], now: number, days = 30): RunDay[] {
  return runDayCounts(runs, now, days).map((count) => {
    const state: DayState =
      count.good > 0
        ? "good"
        : count.failed > 0
          ? "failed"
          : count.missed > 0
            ? "missed"
            : count.running > 0
              ? "running"
              : "none";
    const parts = [
      count.good > 0 ? plural(count.good, "good backup", "good backups") : null,
      count.failed > 0 ? `${count.failed} failed` : null,
      count.missed > 0 ? `${count.missed} missed` : null,
      count.running > 0 ? `${count.running} running` : null,
    ].filter(Boolean);
    return {
      day: count.day,
      state,
      label: `${dayLabel(count.start)}: ${parts.length > 0 ? parts.join(", ") : "no backup"}`,
    };
  });
}
