import type { NavItem } from "@/lib/nav";
import { Badge } from "@/components/ui/badge";
import { MobileNav } from "@/components/layout/mobile-nav";
import { SignOutForm } from "@/components/layout/sign-out-form";
import { UserMenu, type MenuUser } from "@/components/layout/user-menu";
import { ThemeToggle } from "@/components/theme-toggle";

export function SiteHeader({
  items,
  modeLabel,
  user,
}: {
  items: readonly NavItem[];
  modeLabel: string;
  user: MenuUser;
}) {
  return (
    <header className="sticky top-0 z-40 flex h-14 items-center gap-2 border-b bg-background/95 px-4 backdrop-blur supports-[backdrop-filter]:bg-background/80">
      <MobileNav items={items} />
      <Badge variant="outline" className="ml-1">
        {modeLabel}
      </Badge>
      <div className="ml-auto flex min-w-0 items-center gap-1">
        <ThemeToggle />
        <UserMenu user={user} />
        <SignOutForm />
      </div>
    </header>
  );
}
