import type { DayState, RunDay } from "@/lib/backup/run-days";
import { cn } from "@/lib/utils";

const CELL: Record<DayState, string> = {
  good: "bg-success border-success",
  failed: "bg-destructive border-destructive",
  missed:
    "border-warning bg-[repeating-linear-gradient(135deg,var(--color-warning)_0_3px,transparent_3px_6px)]",
  running: "border-primary bg-primary/30",
  none: "bg-transparent border-border",
};

const LEGEND: [DayState, string][] = [
  ["good", "good backup"],
  ["failed", "only failed"],
  ["missed", "missed"],
  ["none", "none"],
];

/** The last days of an HSM's backups, one cell a day (UTC), each said in its title and label. */
export function DayStrip({ hsm, days }: { hsm: string; days: RunDay[] }) {
  return (
    <figure className="flex flex-col gap-1.5">
      <figcaption className="text-xs text-muted-foreground">
        The last {days.length} days (UTC), oldest first
      </figcaption>
      <ol aria-label={`Backups of ${hsm}, the last ${days.length} days`} className="flex gap-0.5">
        {days.map((day) => (
          <li
            key={day.day}
            title={day.label}
            aria-label={day.label}
            data-state={day.state}
            className={cn("h-6 min-w-0 flex-1 rounded-[2px] border", CELL[day.state])}
          />
        ))}
      </ol>
      <ul aria-hidden className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground">
        {LEGEND.map(([state, label]) => (
          <li key={state} className="flex items-center gap-1">
            <span className={cn("inline-block size-3 rounded-[2px] border", CELL[state])} />
            {label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
