import type { Route } from "next";

import { hasPermission, type Permission } from "@/lib/auth/permissions";

export type NavIcon =
  | "mine"
  | "overview"
  | "keys"
  | "templates"
  | "deleted"
  | "calendar"
  | "backups"
  | "requests"
  | "access"
  | "sod"
  | "assurance"
  | "audit"
  | "evidence"
  | "activity"
  | "user";

export interface NavItem {
  href: Route;
  label: string;
  icon: NavIcon;
  /** The section is listed only for users holding this permission; its page checks it too. */
  permission: Permission;
  /** Not listed for users holding this permission (a section for one role and not another). */
  hiddenWith?: Permission;
  /**
   * Listed first, as the user's home, for those without this permission: the auditors' home
   * is a section the key team also reads, lower down, without it becoming the key team's home.
   */
  firstWithout?: Permission;
  /** A count beside the label (requests waiting for this person), and what it counts in words. */
  badge?: { count: number; label: string };
}

/** The shell's sections, in order. A section is listed only once it works. */
export const NAV_ITEMS: readonly NavItem[] = [
  // Application teams' home: the key team files any change and works from the inventory.
  {
    href: "/my-keys",
    label: "My keys",
    icon: "mine",
    permission: "requests.fileOwn",
    hiddenWith: "requests.file",
  },
  { href: "/overview", label: "Overview", icon: "overview", permission: "inventory.read" },
  { href: "/keys", label: "Keys", icon: "keys", permission: "inventory.read" },
  { href: "/templates", label: "Key templates", icon: "templates", permission: "inventory.read" },
  { href: "/deleted-keys", label: "Deleted keys", icon: "deleted", permission: "inventory.read" },
  { href: "/calendar", label: "Calendar", icon: "calendar", permission: "inventory.read" },
  { href: "/backups", label: "Backups", icon: "backups", permission: "backups.read" },
  {
    href: "/requests",
    label: "Change requests",
    icon: "requests",
    permission: "requests.read",
  },
  { href: "/access", label: "Access", icon: "access", permission: "access.read" },
  { href: "/sod", label: "Separation of duties", icon: "sod", permission: "access.read" },
  {
    href: "/assurance",
    label: "Assurance",
    icon: "assurance",
    permission: "audit.read",
    firstWithout: "requests.file",
  },
  { href: "/audit", label: "Audit log", icon: "audit", permission: "audit.read" },
  { href: "/evidence", label: "Evidence", icon: "evidence", permission: "evidence.export" },
  { href: "/status", label: "Status", icon: "activity", permission: "status.read" },
  { href: "/account", label: "Your account", icon: "user", permission: "account.read" },
];

export function navFor(roles: readonly string[]): NavItem[] {
  const listed = NAV_ITEMS.filter(
    (item) =>
      hasPermission(roles, item.permission) &&
      !(item.hiddenWith && hasPermission(roles, item.hiddenWith)),
  );
  const first = (item: NavItem) =>
    item.firstWithout !== undefined && !hasPermission(roles, item.firstWithout);
  return [...listed.filter(first), ...listed.filter((item) => !first(item))];
}

/** The sections with the number of change requests waiting for this approver beside theirs. */
export function withReviewCount(items: readonly NavItem[], toReview: number): NavItem[] {
  return items.map((item) =>
    item.href === "/requests" && toReview > 0
      ? { ...item, badge: { count: toReview, label: `${toReview} to review` } }
      : item,
  );
}
