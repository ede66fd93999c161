import type { Route } from "next";

/** The key detail page of a key. */
function keyHref(hsm: string, name: string): Route {
  return `/keys/${encodeURIComponent(hsm)}/${encodeURIComponent(name)}` as Route;
}

/**
 * A key's name linking to its page. A plain link on purpose: next/link would prefetch the
 * dynamic page of every row in view.
 */
export function KeyNameLink({ hsm, name }: { hsm: string; name: string }) {
  return (
    <a href={keyHref(hsm, name)} className="ui-link">
      {name}
    </a>
  );
}
