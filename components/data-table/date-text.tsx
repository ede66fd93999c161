import type { DateView } from "@/lib/format/date";

/** A date formatted on the server (see `dateView`); renders in server and client components alike. */
export function DateText({ view }: { view: DateView }) {
  return (
    <time dateTime={view.iso} title={view.title}>
      {view.text}
    </time>
  );
}
