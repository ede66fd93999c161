"use client";

import { useEffect } from "react";
import { usePathname, useSearchParams } from "next/navigation";

/*
 * A filter, search or sort re-renders the page for a new URL. Without help, focus would fall to
 * the top of the page (or stay on a control that was replaced); a control that navigates says
 * which element should have focus once the URL it asked for is shown, and <ReturnFocus> (in the
 * portal layout) moves focus there. Module state: it only has to survive client navigations.
 */

let pending: { pathname: string; search: string; selector: string } | null = null;

/** Focus the element matching `selector` once the page for `href` is shown. */
export function focusAfterNavigation(href: string, selector: string | null): void {
  const target = new URL(href, window.location.href);
  pending = selector
    ? { pathname: target.pathname, search: target.searchParams.toString(), selector }
    : null;
}

/** A selector that finds `element` again after a re-render: its id, or its form's submit button. */
export function selectorOf(element: Element | null): string | null {
  if (!element) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  const label = element.closest("form")?.getAttribute("aria-label");
  if (label && element.matches("button[type=submit]"))
    return `form[aria-label="${CSS.escape(label)}"] button[type=submit]`;
  return null;
}

export function ReturnFocus() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  useEffect(() => {
    const wanted = pending;
    pending = null;
    if (wanted && wanted.pathname === pathname && wanted.search === search)
      document.querySelector<HTMLElement>(wanted.selector)?.focus();
  }, [pathname, search]);
  return null;
}
