import { countBySeverity } from "@/lib/sod/engine";
import type { Finding, Severity } from "@/lib/sod/types";

/*
 * The assurance page's small sums: the audit chain's state since its last verification, the
 * last evidence pack, and separation-of-duties findings by HSM and severity. Pure.
 */

export type ChainState = "never-verified" | "verified" | "broken";

export interface ChainStatus {
  state: ChainState;
  /** Events recorded after the last verification's head (all of them when never verified). */
  eventsSince: number;
}

/** Where the chain stands: what its last verification said, and how far the log has moved on. */
export function chainStatus(
  verification: { ok: boolean; head: { seq: number } } | null,
  headSeq: number,
): ChainStatus {
  if (!verification) return { state: "never-verified", eventsSince: headSeq };
  return {
    state: verification.ok ? "verified" : "broken",
    eventsSince: Math.max(0, headSeq - verification.head.seq),
  };
}

export interface ExportAttempt {
  seq: number;
  outcome: string;
}

/**
 * The newest pack exported in full, and how many attempts failed after it; `last` is null when
 * none of the attempts given succeeded (they are newest first).
 */
export function lastExport<T extends ExportAttempt>(
  attempts: readonly T[],
): { last: T | null; failedSince: number } {
  const index = attempts.findIndex((attempt) => attempt.outcome === "succeeded");
  return index < 0
    ? { last: null, failedSince: attempts.length }
    : { last: attempts[index]!, failedSince: index };
}

export interface SeverityRow {
  /** Null for the findings about the portal's own roles. */
  hsm: string | null;
  counts: Record<Severity, number>;
  total: number;
}

/**
 * Findings counted by severity, a row per HSM in the order of `hsms` (zero rows included), then
 * a row for the portal's own roles when it has findings.
 */
export function findingsByHsm(
  findings: readonly Finding[],
  hsms: readonly string[],
): SeverityRow[] {
  const row = (hsm: string | null): SeverityRow => {
    const own = findings.filter((finding) => finding.hsm === hsm);
    return { hsm, counts: countBySeverity(own), total: own.length };
  };
  const portal = row(null);
  return [...hsms.map(row), ...(portal.total > 0 ? [portal] : [])];
}
