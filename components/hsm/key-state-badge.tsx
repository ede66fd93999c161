import { Badge, type BadgeView } from "@/components/ui/badge";

interface KeyStateInput {
  enabled: boolean;
  expiresAt: number | null;
  notBefore?: number | null;
  deletedAt?: number | null;
  now: number;
}

/** Whether a key can be used right now, as the HSM would decide it: deleted, disabled, expired, not yet valid or enabled. */
export function keyState({
  enabled,
  expiresAt,
  notBefore,
  deletedAt,
  now,
}: KeyStateInput): BadgeView {
  if (deletedAt) return { label: "Deleted", variant: "destructive" };
  if (!enabled) return { label: "Disabled", variant: "secondary" };
  if (expiresAt !== null && expiresAt <= now) return { label: "Expired", variant: "destructive" };
  if (notBefore && notBefore > now) return { label: "Not yet valid", variant: "warning" };
  return { label: "Enabled", variant: "success" };
}

export function KeyStateBadge(props: KeyStateInput) {
  const { label, variant } = keyState(props);
  return <Badge variant={variant}>{label}</Badge>;
}
