"use client";

import type { Route } from "next";
import Link from "next/link";

import { focusAfterNavigation } from "@/components/data-table/return-focus";

/** A sort header's link: re-sorts in place, keeping the scroll position and focus on itself. */
export function SortLink({
  id,
  href,
  children,
}: {
  id: string;
  href: string;
  children: React.ReactNode;
}) {
  return (
    <Link
      id={id}
      href={href as Route}
      scroll={false}
      prefetch={false}
      className="ui-link inline-flex items-center gap-1"
      onClick={() => focusAfterNavigation(href, `#${id}`)}
    >
      {children}
    </Link>
  );
}
