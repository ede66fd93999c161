import { dateView, formatRelative, type DateView } from "@/lib/format/date";

/*
 * The one way the portal prints a time: the UTC date (with the time of day for events) in a
 * <time>, the exact time and how long ago or ahead in its tooltip, or beside it in words where
 * the relative time is the point ("Last synced … (3 minutes ago)").
 */

/** A date formatted on the server (see `dateView`); renders in server and client components alike. */
export function DateText({ view }: { view: DateView }) {
  return (
    <time dateTime={view.iso} title={view.title}>
      {view.text}
    </time>
  );
}

export function When({
  value,
  now,
  empty = "—",
  withTime = false,
  relative = "tooltip",
}: {
  value: number | null;
  now: number;
  /** Said when there is no date. */
  empty?: string;
  /** Show the time of day too (events such as sync runs, rather than dates such as expiry). */
  withTime?: boolean;
  relative?: "tooltip" | "inline";
}) {
  if (value === null) return <span className="text-muted-foreground">{empty}</span>;
  const view = dateView(value, now, withTime);
  if (relative === "tooltip") return <DateText view={view} />;
  return (
    <>
      <DateText view={view} />{" "}
      <span className="text-muted-foreground">({formatRelative(value, now)})</span>
    </>
  );
}
