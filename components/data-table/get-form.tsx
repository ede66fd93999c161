"use client";

import type { Route } from "next";
import { useRouter } from "next/navigation";

import { focusAfterNavigation, selectorOf } from "@/components/data-table/return-focus";

/**
 * A GET form, enhanced: with JavaScript, a changed menu applies at once and a submit navigates
 * in place (no reload, no jump to the top), focus returning to the control that was used.
 * Without JavaScript it is the plain form it renders. Empty fields stay out of the URL.
 */
export function GetForm({
  action,
  label,
  className,
  children,
}: {
  action: string;
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  const router = useRouter();

  function apply(form: HTMLFormElement, control: Element | null) {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form))
      if (typeof value === "string" && value !== "") query.append(name, value);
    const href = query.size > 0 ? `${action}?${query.toString()}` : action;
    focusAfterNavigation(href, selectorOf(control));
    router.push(href as Route, { scroll: false });
  }

  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label={label}
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        // Enter in a field submits through the form's first button: keep focus in the field.
        const active = form.contains(document.activeElement) ? document.activeElement : null;
        apply(form, active ?? event.nativeEvent.submitter);
      }}
      onChange={(event) => {
        if (event.target instanceof HTMLSelectElement) apply(event.currentTarget, event.target);
      }}
    >
      {children}
    </form>
  );
}
