import { Badge } from "@/components/ui/badge";

/** Whether a key can be used right now, as the HSM would decide it: deleted, disabled, expired, not yet valid or enabled. */
export function KeyStateBadge({
  enabled,
  expiresAt,
  notBefore,
  deletedAt,
  now,
}: {
  enabled: boolean;
  expiresAt: number | null;
  notBefore?: number | null;
  deletedAt?: number | null;
  now: number;
}) {
  if (deletedAt) return <Badge variant="destructive">Deleted</Badge>;
  if (!enabled) return <Badge variant="secondary">Disabled</Badge>;
  if (expiresAt !== null && expiresAt <= now) return <Badge variant="destructive">Expired</Badge>;
  if (notBefore && notBefore > now) return <Badge variant="warning">Not yet valid</Badge>;
  return <Badge variant="success">Enabled</Badge>;
}
