import type { Route } from "next";

import { cn } from "@/lib/utils";

const TABS: { href: Route; label: string }[] = [
  { href: "/access", label: "Role assignments" },
  { href: "/access/explorer", label: "Access explorer" },
  { href: "/access/roles", label: "Role definitions" },
  { href: "/access/reviews", label: "Access reviews" },
];

/** The access section's pages, as plain links (each page renders on the server). */
export function AccessTabs({ current }: { current: Route }) {
  return (
    <nav aria-label="Access views" className="mb-4 flex flex-wrap gap-1 border-b">
      {TABS.map((tab) => (
        <a
          key={tab.href}
          href={tab.href}
          aria-current={tab.href === current ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50",
            tab.href === current
              ? "border-primary text-foreground"
              : "border-transparent text-muted-foreground hover:text-foreground",
          )}
        >
          {tab.label}
        </a>
      ))}
    </nav>
  );
}
