import type { Route } from "next";

import { cn } from "@/lib/utils";

export type RequestTab = "toReview" | "mine" | "all";

/** The list's views as plain links that set the URL's filters (the page renders on the server). */
export function RequestTabs({
  current,
  canReview,
  hrefFor,
}: {
  current: RequestTab;
  canReview: boolean;
  hrefFor: (tab: RequestTab) => Route;
}) {
  const tabs: [RequestTab, string][] = [
    ...(canReview ? [["toReview", "To review"] as [RequestTab, string]] : []),
    ["mine", "Mine"],
    ["all", "All"],
  ];
  return (
    <nav aria-label="Request views" className="mb-4 flex flex-wrap gap-1 border-b">
      {tabs.map(([tab, label]) => (
        <a
          key={tab}
          href={hrefFor(tab)}
          aria-current={tab === current ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50",
            tab === current
              ? "border-primary text-foreground"
              : "border-transparent text-muted-foreground hover:text-foreground",
          )}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
