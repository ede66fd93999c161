import type { Route } from "next";

import { targetInWords } from "@/lib/requests/describe";
import { describeChange, type ChangeNames } from "@/lib/requests/describe-change";
import type { RequestDetail, RequestItem } from "@/lib/requests/types";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ItemStateBadge } from "@/components/requests/request-state-badge";

/** A bulk request holds up to 500 items: the page shows this many, and every failed one. */
const SHOWN = 50;

/** The items to show: the first SHOWN, then those further on that failed or found their target changed. */
function visibleItems(items: readonly RequestItem[]): RequestItem[] {
  const later = items.slice(SHOWN).filter((i) => i.state === "failed" || i.state === "stale");
  return [...items.slice(0, SHOWN), ...later.slice(0, SHOWN)];
}

function stateCounts(items: readonly RequestItem[], neverRuns: boolean): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
  const words = {
    pending: neverRuns ? "not run" : "not run yet",
    executing: "executing",
    executed: "executed",
    failed: "failed",
    stale: "stale",
  };
  return [...counts]
    .map(([state, n]) => `${n.toLocaleString("en")} ${words[state as RequestItem["state"]]}`)
    .join(", ");
}

/** Request states that end before execution: their items are never run. */
const NEVER_RUN: ReadonlySet<RequestDetail["state"]> = new Set([
  "rejected",
  "cancelled",
  "expired",
  "stale",
]);

const json = (value: unknown) => JSON.stringify(value, null, 2);

function ItemEntry({
  neverRuns,
  kind,
  item,
  names,
}: {
  /** The request was settled without execution: its pending items never run. */
  neverRuns: boolean;
  kind: RequestDetail["kind"];
  item: RequestItem;
  names: ChangeNames;
}) {
  return (
    <li className="flex flex-col gap-2 py-3" data-item={item.position}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{targetInWords(item.target)}</span>
        <ItemStateBadge state={item.state} neverRuns={neverRuns} />
        {item.attempts > 1 ? (
          <span className="text-xs text-muted-foreground">{item.attempts} attempts</span>
        ) : null}
      </div>
      <ul
        aria-label={`Change to ${targetInWords(item.target)}`}
        className="flex flex-col gap-0.5 text-sm"
      >
        {describeChange(kind, item.change, item.before, names).map((line) => (
          <li key={line} className="break-words">
            {line}
          </li>
        ))}
      </ul>
      {item.error ? <p className="text-sm break-words text-destructive">{item.error}</p> : null}
      <details className="text-xs">
        <summary className="w-fit cursor-pointer rounded text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50">
          Before and after as JSON
        </summary>
        <div className="mt-2 grid gap-2 md:grid-cols-2">
          <div className="min-w-0">
            <p className="mb-1 text-muted-foreground">Before (read from the HSM when filed)</p>
            <pre className="overflow-x-auto rounded-md bg-muted p-2">{json(item.before)}</pre>
          </div>
          <div className="min-w-0">
            <p className="mb-1 text-muted-foreground">Requested change</p>
            <pre className="overflow-x-auto rounded-md bg-muted p-2">{json(item.change)}</pre>
            {item.after !== null ? (
              <>
                <p className="mt-2 mb-1 text-muted-foreground">Result</p>
                <pre className="overflow-x-auto rounded-md bg-muted p-2">{json(item.after)}</pre>
              </>
            ) : null}
          </div>
        </div>
      </details>
    </li>
  );
}

/** Each item: its target, the change in words, the JSON behind it, and how its execution went. */
export function RequestItems({ request, names }: { request: RequestDetail; names: ChangeNames }) {
  const shown = visibleItems(request.items);
  const hidden = request.items.length - shown.length;
  const neverRuns = NEVER_RUN.has(request.state);
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          {request.items.length === 1
            ? "The change"
            : `${request.items.length.toLocaleString("en")} changes`}
        </CardTitle>
        <CardDescription>
          {request.items.length > 1 ? `${stateCounts(request.items, neverRuns)}. ` : ""}Before is
          what the HSM held when the request was filed; the portal reads it again before it writes,
          and changes nothing where it differs.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ol aria-label="Items" className="flex flex-col divide-y">
          {shown.map((item) => (
            <ItemEntry
              key={item.position}
              neverRuns={neverRuns}
              kind={request.kind}
              item={item}
              names={names}
            />
          ))}
        </ol>
        {hidden > 0 ? (
          <p className="pt-3 text-sm text-muted-foreground">
            And {hidden.toLocaleString("en")} more item{hidden === 1 ? "" : "s"}: every item is in{" "}
            <a
              href={`/api/requests/${request.id}` as Route}
              className="underline underline-offset-4"
            >
              the request as JSON
            </a>
            .
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
