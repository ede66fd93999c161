import { OUTCOME_LABELS } from "@/lib/audit/describe";
import type { AuditOutcome } from "@/lib/audit/types";
import { Badge } from "@/components/ui/badge";

const VARIANTS = { succeeded: "success", failed: "warning", denied: "destructive" } as const;

/** An audit event's outcome; a refusal stands out in red, a failed change in amber. */
export function OutcomeBadge({ outcome }: { outcome: AuditOutcome }) {
  return <Badge variant={VARIANTS[outcome]}>{OUTCOME_LABELS[outcome]}</Badge>;
}
