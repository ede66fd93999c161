"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  ActivityIcon,
  ArchiveIcon,
  CalendarDaysIcon,
  ClipboardCheckIcon,
  DatabaseBackupIcon,
  FolderKeyIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  LayoutTemplateIcon,
  ScrollTextIcon,
  ShieldAlertIcon,
  ShieldCheckIcon,
  Trash2Icon,
  UserIcon,
  UsersIcon,
  type LucideIcon,
} from "lucide-react";

import type { NavIcon, NavItem } from "@/lib/nav";

const ICONS: Record<NavIcon, LucideIcon> = {
  mine: FolderKeyIcon,
  overview: LayoutDashboardIcon,
  keys: KeyRoundIcon,
  templates: LayoutTemplateIcon,
  deleted: Trash2Icon,
  calendar: CalendarDaysIcon,
  backups: DatabaseBackupIcon,
  requests: ClipboardCheckIcon,
  access: UsersIcon,
  sod: ShieldAlertIcon,
  assurance: ShieldCheckIcon,
  audit: ScrollTextIcon,
  evidence: ArchiveIcon,
  activity: ActivityIcon,
  user: UserIcon,
};

export function NavLinks({
  items,
  onNavigate,
}: {
  items: readonly NavItem[];
  onNavigate?: () => void;
}) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-col gap-1">
      {items.map((item) => {
        const Icon = ICONS[item.icon];
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className="ui-nav-link"
            >
              <Icon className="size-4" aria-hidden />
              {item.label}
              {item.badge ? (
                <>
                  <span
                    aria-hidden
                    className="ml-auto rounded-full bg-primary px-1.5 py-px text-xs font-semibold text-primary-foreground tabular-nums"
                  >
                    {item.badge.count}
                  </span>
                  <span className="sr-only">, {item.badge.label}</span>
                </>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
