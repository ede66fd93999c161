import { ChevronRightIcon } from "lucide-react";

import { RULES } from "@/lib/sod/engine";
import { SEVERITIES, type Finding } from "@/lib/sod/types";
import { FindingsList } from "@/components/access/findings-list";
import { SeverityBadge } from "@/components/access/severity-badge";

/**
 * Findings grouped by rule, worst first, each rule one summary line (severity, rule, count) that
 * opens to its findings. Native <details>: it opens without JavaScript and is announced as a
 * disclosure. Rules without findings (off, or filtered to none) are left out; a lone rule opens.
 */
export function FindingsByRule({ findings }: { findings: readonly Finding[] }) {
  const groups = RULES.map((rule) => ({
    rule,
    findings: findings.filter((finding) => finding.ruleId === rule.id),
  }))
    .filter((group) => group.findings.length > 0)
    .map((group) => ({ ...group, severity: group.findings[0]!.severity }))
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  if (groups.length === 0)
    return <p className="mb-6 text-sm text-muted-foreground">No separation-of-duties findings.</p>;
  return (
    <ul aria-label="Findings by rule" className="mb-8 flex flex-col gap-2">
      {groups.map(({ rule, findings: ofRule, severity }) => (
        <li key={rule.id}>
          <details
            className="group rounded-lg border open:bg-muted/30"
            data-rule={rule.id}
            open={groups.length === 1}
          >
            <summary className="flex cursor-pointer list-none items-start gap-2 rounded-lg p-3 outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 [&::-webkit-details-marker]:hidden">
              <ChevronRightIcon
                aria-hidden
                className="mt-0.5 size-4 shrink-0 transition-transform group-open:rotate-90"
              />
              <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <SeverityBadge severity={severity} />
                <span className="font-medium">{rule.title}</span>
                <span className="text-sm text-muted-foreground">
                  {ofRule.length} finding{ofRule.length === 1 ? "" : "s"}
                </span>
              </span>
            </summary>
            <div className="px-3 pb-3">
              <p className="mb-3 text-sm text-muted-foreground">{rule.why}</p>
              <FindingsList findings={ofRule} label={rule.title} />
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}
