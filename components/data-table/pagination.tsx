import { ChevronLeftIcon, ChevronRightIcon } from "lucide-react";

import { PageLink } from "@/components/data-table/page-link";

/** Previous/next links for a server-paged table, with where the reader is. */
export function Pagination({
  page,
  pageSize,
  total,
  hrefFor,
}: {
  page: number;
  pageSize: number;
  total: number;
  hrefFor: (page: number) => string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav
      aria-label="Pages"
      className="flex flex-wrap items-center justify-between gap-3 pt-4 text-sm"
    >
      <p className="text-muted-foreground" aria-live="polite">
        {total === 0
          ? "No keys match."
          : `Showing ${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${total.toLocaleString("en")} · page ${page} of ${pages}`}
      </p>
      <div className="flex gap-2">
        <PageLink href={page > 1 ? hrefFor(page - 1) : null}>
          <ChevronLeftIcon aria-hidden />
          Previous
        </PageLink>
        <PageLink href={page < pages ? hrefFor(page + 1) : null}>
          <ChevronRightIcon aria-hidden />
          Next
        </PageLink>
      </div>
    </nav>
  );
}
