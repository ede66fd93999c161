import type { DoctorCheck, DoctorStatus } from "@/lib/doctor/report";
import { Badge } from "@/components/ui/badge";

const BADGES: Record<
  DoctorStatus,
  { label: string; variant: "success" | "warning" | "destructive" | "secondary" }
> = {
  pass: { label: "Pass", variant: "success" },
  warn: { label: "Warning", variant: "warning" },
  fail: { label: "Fail", variant: "destructive" },
  skip: { label: "Not checked", variant: "secondary" },
};

/**
 * The doctor's checks: each with what was found and, for a warning or a failure, its fix. A list
 * rather than a table, so that a fix's command wraps instead of scrolling on a narrow screen.
 */
export function SetupChecks({ checks }: { checks: readonly DoctorCheck[] }) {
  return (
    <ul aria-label="Setup checks" className="divide-y">
      {checks.map((check) => (
        <li
          key={check.id}
          data-check={check.id}
          className="grid gap-x-4 gap-y-1 py-3 sm:grid-cols-[minmax(10rem,16rem)_6rem_1fr]"
        >
          <span className="text-sm font-medium">{check.title}</span>
          <span>
            <Badge variant={BADGES[check.status].variant}>{BADGES[check.status].label}</Badge>
          </span>
          <div className="min-w-0">
            <p className="text-sm [overflow-wrap:anywhere]">{check.detail}</p>
            {check.fix && (check.status === "fail" || check.status === "warn") ? (
              <pre className="mt-2 rounded-md bg-muted p-2 font-mono text-xs [overflow-wrap:anywhere] whitespace-pre-wrap">
                {check.fix}
              </pre>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
