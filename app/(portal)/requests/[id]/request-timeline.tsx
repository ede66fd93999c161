import type { RequestEventView } from "@/lib/requests/types";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { When } from "@/components/data-table/date-text";

/** A timeline line's detail in words: "“looks right” · 1 of 2 approvals", "1 executed". */
function detailInWords(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  const { comment, reason, approvals, required, approvalsRequired, items, acknowledged } = detail;
  if (typeof comment === "string") parts.push(`“${comment}”`);
  if (typeof reason === "string") parts.push(reason);
  if (typeof approvals === "number" && typeof required === "number")
    parts.push(`${approvals} of ${required} approvals`);
  if (typeof approvalsRequired === "number")
    parts.push(
      approvalsRequired === 0
        ? "needs no approval"
        : `needs ${approvalsRequired} approval${approvalsRequired === 1 ? "" : "s"}`,
    );
  if (typeof detail.template === "string" && typeof approvalsRequired === "number")
    parts.push(`as the key template ${detail.template} says`);
  if (typeof items === "number") parts.push(`${items} item${items === 1 ? "" : "s"}`);
  if (typeof acknowledged === "number")
    parts.push(`accepted ${acknowledged} critical finding${acknowledged === 1 ? "" : "s"}`);
  for (const state of ["executed", "failed", "stale"]) {
    const count = detail[state];
    if (typeof count === "number" && count > 0) parts.push(`${count} ${state}`);
  }
  return parts.join(" · ");
}

/** Everything that happened to the request, oldest first. */
export function RequestTimeline({ events, now }: { events: RequestEventView[]; now: number }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Timeline</CardTitle>
      </CardHeader>
      <CardContent>
        <ol aria-label="Timeline" className="flex flex-col gap-3 border-l pl-4 text-sm">
          {events.map((event, index) => {
            const words = detailInWords(event.detail);
            return (
              <li key={index} className="relative">
                <span
                  aria-hidden
                  className="absolute top-1.5 -left-[1.3125rem] size-2 rounded-full bg-primary"
                />
                <span className="text-muted-foreground">
                  <When value={event.at} now={now} withTime />
                </span>{" "}
                — <span className="font-medium">{event.actor}</span> {event.what}
                {words ? <span className="block text-muted-foreground">{words}</span> : null}
              </li>
            );
          })}
        </ol>
      </CardContent>
    </Card>
  );
}
