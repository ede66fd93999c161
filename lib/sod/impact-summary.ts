import { count } from "@/lib/format/count";
import type { WhatIf } from "@/lib/sod/engine";

/*
 * A what-if answer in one sentence, for the change forms that show it while they are filled in.
 * Pure, for client components.
 */

export interface ImpactSummary {
  /** "It adds 2 findings (1 critical), resolves 1 finding." or "No finding changes: …" */
  words: string;
  /** Critical findings the change would add: approving it then needs an acknowledgement. */
  criticalAdded: number;
}

export function impactSummary(
  impact: Pick<WhatIf, "added" | "resolved" | "changed">,
): ImpactSummary {
  const criticalAdded = impact.added.filter((f) => f.severity === "critical").length;
  const parts = [
    impact.added.length > 0
      ? `adds ${count(impact.added.length, "finding")}${criticalAdded > 0 ? ` (${criticalAdded} critical)` : ""}`
      : null,
    impact.resolved.length > 0 ? `resolves ${count(impact.resolved.length, "finding")}` : null,
    impact.changed.length > 0 ? `changes ${count(impact.changed.length, "finding")}` : null,
  ].filter((part): part is string => part !== null);
  if (parts.length === 0)
    return {
      words: "No finding changes: it adds, resolves and changes no separation-of-duties finding.",
      criticalAdded,
    };
  return { words: `It ${parts.join(", ")}.`, criticalAdded };
}
