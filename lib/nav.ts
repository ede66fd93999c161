import type { Route } from "next";

export type NavIcon = "activity";

export interface NavItem {
  href: Route;
  label: string;
  icon: NavIcon;
}

/**
 * The shell's sections. A section is listed only once it works; later issues add theirs here
 * (with the permission that shows it).
 */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/status", label: "Status", icon: "activity" },
];
