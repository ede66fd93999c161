import type { ItemState, RequestState } from "@/lib/requests/state-machine";
import { Badge, type BadgeView } from "@/components/ui/badge";

/* A change request's state, and one item's, as a badge: done in green, refused or failed in red. */

const REQUEST_STATES: Record<RequestState, BadgeView> = {
  pending: { label: "Pending", variant: "warning" },
  approved: { label: "Approved", variant: "default" },
  executing: { label: "Executing", variant: "secondary" },
  executed: { label: "Executed", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  rejected: { label: "Rejected", variant: "destructive" },
  cancelled: { label: "Cancelled", variant: "outline" },
  expired: { label: "Expired", variant: "outline" },
  stale: { label: "Stale", variant: "warning" },
};

const ITEM_STATES: Record<ItemState, BadgeView> = {
  pending: { label: "Not run yet", variant: "outline" },
  executing: { label: "Executing", variant: "secondary" },
  executed: { label: "Executed", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  stale: { label: "Stale: target changed", variant: "warning" },
};

export const requestStateLabel = (state: RequestState) => REQUEST_STATES[state].label;

export function RequestStateBadge({ state }: { state: RequestState }) {
  const { label, variant } = REQUEST_STATES[state];
  return (
    <Badge variant={variant} data-state={state}>
      {label}
    </Badge>
  );
}

/** `neverRuns`: the request ended before execution (rejected, cancelled, expired). */
export function ItemStateBadge({
  state,
  neverRuns = false,
}: {
  state: ItemState;
  neverRuns?: boolean;
}) {
  const { label, variant } =
    neverRuns && state === "pending"
      ? { label: "Not run", variant: "outline" as const }
      : ITEM_STATES[state];
  return <Badge variant={variant}>{label}</Badge>;
}
