import type { GroupLabel } from "@/lib/directory/group-labels";

/**
 * A group named by its object id outside a role assignment (a key's owner tag): its name with
 * the id on hover; a deleted principal or an unknown group with the id shown, never a bare id.
 * Plain markup, so server and client components both render it.
 */
export function GroupName({ label }: { label: GroupLabel }) {
  if (label.status === "exists")
    return <span title={`Group object id ${label.id}`}>{label.name}</span>;
  return (
    <span className="inline-flex flex-col" title={`Object id ${label.id}`}>
      <span className={label.status === "missing" ? "text-destructive" : "text-warning"}>
        {label.status === "missing" ? "Deleted principal" : "Unknown group"}
      </span>
      <span className="font-mono text-xs break-all text-muted-foreground">{label.id}</span>
    </span>
  );
}
