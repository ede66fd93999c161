import { TableHead } from "@/components/ui/table";
import { SortLink } from "@/components/data-table/sort-link";

/** A column header that sorts the server-side table through the URL; announces its sort state. */
export function SortHeader({
  id,
  label,
  active,
  dir,
  href,
  className,
}: {
  /** The link's id, unique on the page: focus returns to it after the sort. */
  id: string;
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
      <SortLink id={id} href={href}>
        {label}
        <span aria-hidden className="ui-sort-icon" data-dir={active ? dir : undefined} />
        <span className="sr-only">
          {active ? `, sorted ${dir === "asc" ? "ascending" : "descending"}` : ", sort"}
        </span>
      </SortLink>
    </TableHead>
  );
}
