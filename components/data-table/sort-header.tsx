import { TableHead } from "@/components/ui/table";

/** A column header that sorts the server-side table through the URL; announces its sort state. */
export function SortHeader({
  label,
  active,
  dir,
  href,
  className,
}: {
  label: string;
  active: boolean;
  dir: "asc" | "desc";
  /** Where a click leads: this column ascending, or reversed when it is already the sort. */
  href: string;
  className?: string;
}) {
  return (
    <TableHead
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}
      className={className}
    >
      <a href={href} className="ui-link inline-flex items-center gap-1">
        {label}
        <span aria-hidden className="ui-sort-icon" data-dir={active ? dir : undefined} />
        <span className="sr-only">
          {active ? `, sorted ${dir === "asc" ? "ascending" : "descending"}` : ", sort"}
        </span>
      </a>
    </TableHead>
  );
}
