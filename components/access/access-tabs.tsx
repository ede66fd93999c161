import type { Route } from "next";

import { LinkTabs } from "@/components/layout/link-tabs";

const TABS: { href: Route; label: string }[] = [
  { href: "/access", label: "Role assignments" },
  { href: "/access/explorer", label: "Access explorer" },
  { href: "/access/roles", label: "Role definitions" },
  { href: "/access/reviews", label: "Access reviews" },
];

/** The access section's pages. */
export function AccessTabs({ current }: { current: Route }) {
  return (
    <LinkTabs
      label="Access views"
      tabs={TABS.map((tab) => ({ ...tab, current: tab.href === current }))}
    />
  );
}
