import type { Route } from "next";

import { LinkTabs } from "@/components/layout/link-tabs";

export type RequestTab = "toReview" | "mine" | "all";

/** The list's views as links that set the URL's filters. */
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
    <LinkTabs
      label="Request views"
      tabs={tabs.map(([tab, label]) => ({ href: hrefFor(tab), label, current: tab === current }))}
    />
  );
}
