import { CircleCheckIcon, TriangleAlertIcon } from "lucide-react";

import type { BackupFreshness } from "@/lib/backup/freshness";
import { cn } from "@/lib/utils";

/**
 * An HSM's last good backup in one sentence: quiet when fresh, a warning when stale or never
 * (the words say which, so the colour is never the only sign).
 */
export function FreshnessLine({
  freshness,
  className,
}: {
  freshness: BackupFreshness;
  className?: string;
}) {
  const fresh = freshness.state === "fresh";
  const Icon = fresh ? CircleCheckIcon : TriangleAlertIcon;
  return (
    <p
      data-freshness={freshness.state}
      className={cn(
        "flex items-start gap-2 text-sm [overflow-wrap:anywhere]",
        fresh
          ? "text-muted-foreground"
          : "rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-foreground",
        className,
      )}
    >
      <Icon
        aria-hidden
        className={cn("mt-0.5 size-4 shrink-0", fresh ? "text-success" : "text-warning")}
      />
      <span>
        {fresh ? null : (
          <strong className="font-medium">
            {freshness.state === "never" ? "Never backed up: " : "Backup stale: "}
          </strong>
        )}
        {freshness.message}
      </span>
    </p>
  );
}
