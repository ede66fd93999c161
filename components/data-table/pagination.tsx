import { ChevronLeftIcon, ChevronRightIcon } from "lucide-react";

import { cn } from "@/lib/utils";
import { buttonVariants } from "@/components/ui/button";

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
  const link = (target: number, label: string, icon: React.ReactNode, enabled: boolean) =>
    enabled ? (
      <a href={hrefFor(target)} className={buttonVariants({ variant: "outline", size: "sm" })}>
        {icon}
        {label}
      </a>
    ) : (
      <span
        aria-disabled
        className={cn(
          buttonVariants({ variant: "outline", size: "sm" }),
          "pointer-events-none opacity-50",
        )}
      >
        {icon}
        {label}
      </span>
    );
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
        {link(page - 1, "Previous", <ChevronLeftIcon aria-hidden />, page > 1)}
        {link(page + 1, "Next", <ChevronRightIcon aria-hidden />, page < pages)}
      </div>
    </nav>
  );
}
