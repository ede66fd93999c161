import type { BackupRunState, BackupTrigger } from "@/lib/db/schema/backup/table";

/* A backup run's trigger, outcome and duration in words, for the pages. Pure. */

export type OutcomeTone = "success" | "destructive" | "warning" | "secondary";

export const OUTCOME_WORDS: Record<BackupRunState, { label: string; tone: OutcomeTone }> = {
  running: { label: "Running", tone: "secondary" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "destructive" },
  interrupted: { label: "Interrupted", tone: "destructive" },
  missed: { label: "Missed", tone: "warning" },
};

/** "Manual", "Schedule nightly", "Safety backup before a restore". */
export function triggerInWords(trigger: BackupTrigger, scheduleName: string | null): string {
  if (trigger === "manual") return "Manual";
  if (trigger === "safety") return "Safety backup before a restore";
  return scheduleName ? `Schedule ${scheduleName}` : "Schedule";
}

/** "under 1 s", "45 s", "3 min 5 s", "1 h 2 min"; null for a run not ended. */
export function durationInWords(ms: number | null): string | null {
  if (ms === null) return null;
  if (ms < 1000) return "under 1 s";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60)
    return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
