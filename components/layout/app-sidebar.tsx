import type { NavItem } from "@/lib/nav";
import { Brand } from "@/components/layout/brand";
import { NavLinks } from "@/components/layout/nav-links";

export function AppSidebar({
  items,
  footer,
}: {
  items: readonly NavItem[];
  footer: React.ReactNode;
}) {
  return (
    <aside className="sticky top-0 hidden h-svh w-60 shrink-0 flex-col border-r border-sidebar-border bg-sidebar md:flex">
      <div className="flex h-14 items-center border-b border-sidebar-border px-3">
        <Brand />
      </div>
      <nav aria-label="Main" className="flex-1 overflow-y-auto p-3">
        <NavLinks items={items} />
      </nav>
      <div className="border-t border-sidebar-border p-3 text-xs text-muted-foreground">
        {footer}
      </div>
    </aside>
  );
}
