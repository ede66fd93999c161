"use client";

import Link from "next/link";
import { ChevronDownIcon, LogOutIcon, UserIcon } from "lucide-react";

import { PORTAL_ROLES, type PortalRole } from "@/lib/auth/permissions";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { SIGN_OUT_FORM_ID } from "@/components/layout/sign-out-form";

export interface MenuUser {
  name: string;
  username: string;
  roles: PortalRole[];
}

export function roleLabels(roles: readonly PortalRole[]): string {
  return roles.map((role) => PORTAL_ROLES[role].label).join(", ");
}

export function UserMenu({ user }: { user: MenuUser }) {
  const signOut = () =>
    (document.getElementById(SIGN_OUT_FORM_ID) as HTMLFormElement | null)?.requestSubmit();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          // min-w-0 and truncation: a long name and several roles must not widen the header
          // past a phone's screen (the page would scroll sideways).
          className="h-auto min-w-0 shrink gap-2 py-1.5"
          aria-label={`Account menu for ${user.name}`}
        >
          <span className="flex min-w-0 flex-col items-end text-right leading-tight">
            <span className="max-w-full truncate text-sm font-medium" data-testid="user-name">
              {user.name}
            </span>
            <span
              className="max-w-full truncate text-xs text-muted-foreground"
              data-testid="user-roles"
              title={roleLabels(user.roles)}
            >
              {roleLabels(user.roles)}
            </span>
          </span>
          <ChevronDownIcon aria-hidden className="text-muted-foreground" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel className="font-normal">
          <div className="font-medium">{user.name}</div>
          <div className="truncate text-xs text-muted-foreground">{user.username}</div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/account">
            <UserIcon aria-hidden /> Your account
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={signOut}>
          <LogOutIcon aria-hidden /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
