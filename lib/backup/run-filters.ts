import type { BackupRunState } from "@/lib/db/schema/backup/table";

/* The backups page's run filters, read from its URL: an unknown HSM or outcome is no filter. Pure. */

const OUTCOMES: readonly BackupRunState[] = [
  "running",
  "succeeded",
  "failed",
  "interrupted",
  "missed",
];

export interface RunFilters {
  hsm?: string;
  outcome?: BackupRunState;
}

const one = (value: string | string[] | undefined) =>
  typeof value === "string" ? value : undefined;

export function readRunFilters(
  params: Record<string, string | string[] | undefined>,
  hsms: readonly string[],
): RunFilters {
  const hsm = one(params.hsm);
  const outcome = one(params.outcome);
  return {
    hsm: hsm !== undefined && hsms.includes(hsm) ? hsm : undefined,
    outcome: OUTCOMES.find((known) => known === outcome),
  };
}

export const OUTCOME_OPTIONS = OUTCOMES.map(
  (outcome) => [outcome, outcome[0]!.toUpperCase() + outcome.slice(1)] as const,
);
