import type { Route } from "next";

import type { Principal, PrincipalKind } from "@/lib/access/model";
import { Badge } from "@/components/ui/badge";

export const KIND_LABELS: Record<PrincipalKind, string> = {
  user: "User",
  group: "Group",
  servicePrincipal: "Service principal",
  unknown: "Unknown",
};

export function kindLabel(principal: Principal): string {
  if (principal.status === "missing") return "Deleted";
  if (principal.kind === "user" && principal.guest) return "Guest user";
  return KIND_LABELS[principal.kind];
}

export const explorerHref = (principalId: string) =>
  `/access/explorer?principal=${encodeURIComponent(principalId)}` as Route;

/**
 * A principal's name (linked to the access explorer), kind and, on hover, its object id. A
 * principal the directory says is gone reads "Deleted principal" with its id, never a bare id.
 */
export function PrincipalName({
  principal,
  link = true,
  showKind = true,
}: {
  principal: Principal;
  link?: boolean;
  showKind?: boolean;
}) {
  const deleted = principal.status === "missing";
  const name = deleted ? (
    <span className="text-destructive">Deleted principal</span>
  ) : principal.status === "exists" && principal.displayName ? (
    principal.displayName
  ) : (
    <span className="font-mono text-xs">{principal.id}</span>
  );
  return (
    <span
      className="inline-flex flex-wrap items-center gap-x-1.5 gap-y-1"
      title={`Object id ${principal.id}`}
    >
      {link ? (
        <a
          href={explorerHref(principal.id)}
          className="font-medium underline-offset-4 hover:underline"
        >
          {name}
        </a>
      ) : (
        <span className="font-medium">{name}</span>
      )}
      {showKind && !deleted ? (
        <Badge variant={principal.guest ? "warning" : "outline"}>{kindLabel(principal)}</Badge>
      ) : null}
      {deleted ? (
        <span className="font-mono text-xs break-all text-muted-foreground">{principal.id}</span>
      ) : null}
      {principal.status === "unresolved" ? (
        <span className="text-xs text-muted-foreground">(not looked up yet)</span>
      ) : null}
      {principal.detail && principal.status === "exists" ? (
        <span className="text-xs text-muted-foreground">{principal.detail}</span>
      ) : null}
    </span>
  );
}
