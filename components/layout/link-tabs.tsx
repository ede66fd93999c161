import type { Route } from "next";

import { cn } from "@/lib/utils";

export interface LinkTab {
  href: Route;
  label: string;
  current: boolean;
}

/** A page's views as plain links (each renders on the server), the current one marked. */
export function LinkTabs({ label, tabs }: { label: string; tabs: readonly LinkTab[] }) {
  return (
    <nav aria-label={label} className="mb-4 flex flex-wrap gap-1 border-b">
      {tabs.map((tab) => (
        <a
          key={tab.href}
          href={tab.href}
          aria-current={tab.current ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50",
            tab.current
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
