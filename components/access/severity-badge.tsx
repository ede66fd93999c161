import type { Route } from "next";
import { ShieldAlertIcon } from "lucide-react";

import type { Finding, Severity } from "@/lib/sod/types";
import { Badge } from "@/components/ui/badge";

const VARIANTS = {
  critical: "destructive",
  high: "destructive",
  medium: "warning",
  low: "secondary",
} as const;

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge variant={VARIANTS[severity]}>{SEVERITY_LABELS[severity]}</Badge>;
}

/** The count of findings, linked to the separation-of-duties page; nothing when there are none. */
export function FindingsBadge({ findings, href }: { findings: readonly Finding[]; href: Route }) {
  if (findings.length === 0) return null;
  const worst = (["critical", "high", "medium", "low"] as const).find((s) =>
    findings.some((f) => f.severity === s),
  )!;
  const label = `${findings.length} separation-of-duties finding${findings.length === 1 ? "" : "s"}`;
  return (
    <a href={href} aria-label={label} title={label}>
      <Badge variant={VARIANTS[worst]}>
        <ShieldAlertIcon aria-hidden />
        {findings.length}
      </Badge>
    </a>
  );
}
