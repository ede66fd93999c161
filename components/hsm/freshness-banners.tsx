import { TriangleAlertIcon } from "lucide-react";

import type { Freshness } from "@/lib/inventory/freshness";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

const TITLES = {
  never: "Not synced yet",
  failing: "Sync failing",
  stale: "Data may be out of date",
} as const;

/** One banner per HSM whose mirrored data is missing, failing to refresh, or overdue. */
export function FreshnessBanners({ freshness }: { freshness: Freshness[] }) {
  const problems = freshness.filter((f) => f.status !== "fresh");
  if (problems.length === 0) return null;
  return (
    <div className="mb-6 flex flex-col gap-3">
      {problems.map((problem) => (
        <Alert
          key={problem.hsm}
          variant="warning"
          role="status"
          data-testid={`freshness-${problem.hsm}`}
        >
          <TriangleAlertIcon aria-hidden />
          <AlertTitle>
            {problem.hsm}: {TITLES[problem.status]}
          </AlertTitle>
          <AlertDescription>{"message" in problem ? problem.message : null}</AlertDescription>
        </Alert>
      ))}
    </div>
  );
}
