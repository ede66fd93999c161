import type { ItemDecision, ReviewProgress, ReviewState } from "@/lib/access-reviews/rules";
import { Badge, type BadgeView } from "@/components/ui/badge";

/* Small server-rendered parts of the access-review pages: states, decisions and progress. */

const REVIEW_STATES: Record<ReviewState, BadgeView> = {
  open: { label: "Open", variant: "warning" },
  completed: { label: "Completed", variant: "success" },
  cancelled: { label: "Cancelled", variant: "outline" },
};

const DECISIONS: Record<ItemDecision, BadgeView> = {
  pending: { label: "Not decided", variant: "outline" },
  confirmed: { label: "Confirmed", variant: "success" },
  flagged: { label: "Flagged for removal", variant: "destructive" },
};

export function ReviewStateBadge({ state }: { state: ReviewState }) {
  const { label, variant } = REVIEW_STATES[state];
  return <Badge variant={variant}>{label}</Badge>;
}

export function DecisionBadge({ decision }: { decision: ItemDecision }) {
  const { label, variant } = DECISIONS[decision];
  return <Badge variant={variant}>{label}</Badge>;
}

export function progressWords(progress: ReviewProgress): string {
  const decided = progress.total - progress.pending;
  return `${decided} of ${progress.total} decided: ${progress.confirmed} confirmed, ${progress.flagged} flagged`;
}

/** Decided share as a bar (confirmed and flagged), with the counts in words beside it. */
export function ReviewProgressBar({ progress }: { progress: ReviewProgress }) {
  const share = (n: number) => (progress.total === 0 ? 0 : (n / progress.total) * 100);
  return (
    <div className="flex min-w-40 flex-col gap-1">
      <div
        className="flex h-2 w-full overflow-hidden rounded-full bg-muted"
        role="img"
        aria-label={progressWords(progress)}
      >
        <div
          className="bg-emerald-600 dark:bg-emerald-500"
          style={{ width: `${share(progress.confirmed)}%` }}
        />
        <div className="bg-destructive" style={{ width: `${share(progress.flagged)}%` }} />
      </div>
      <span className="text-xs text-muted-foreground">{progressWords(progress)}</span>
    </div>
  );
}
