import { REQUEST_KINDS } from "@/lib/requests/kinds";
import type { RequestDetail } from "@/lib/requests/types";
import { templateOfRequest } from "@/lib/templates/describe";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { When } from "@/components/data-table/date-text";
import { Fact, FactList } from "@/components/layout/fact-list";
import { RequestStateBadge } from "@/components/requests/request-state-badge";

/** Who asked for what, when, and why; and where the request stands. */
export function RequestFacts({ request, now }: { request: RequestDetail; now: number }) {
  const template = templateOfRequest(request);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Request</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <FactList>
          <Fact term="State">
            <RequestStateBadge state={request.state} />
          </Fact>
          <Fact term="Kind">{REQUEST_KINDS[request.kind].label}</Fact>
          <Fact term="HSM">{request.hsm ?? "The portal itself"}</Fact>
          {template ? (
            <Fact term="Key template">
              <a href="/templates" className="ui-link">
                {template}
              </a>
            </Fact>
          ) : null}
          <Fact term="Requester">{request.requester.name}</Fact>
          <Fact term="Filed">
            <When value={request.filedAt} now={now} withTime relative="inline" />
          </Fact>
          {request.state === "pending" || request.state === "expired" ? (
            <Fact term={request.state === "expired" ? "Expired" : "Expires"}>
              <When value={request.expiresAt} now={now} withTime relative="inline" />
            </Fact>
          ) : null}
          {request.decidedAt !== null && request.state !== "expired" ? (
            <Fact term="Decided">
              <When value={request.decidedAt} now={now} withTime relative="inline" />
            </Fact>
          ) : null}
          {request.finishedAt !== null ? (
            <Fact term="Finished">
              <When value={request.finishedAt} now={now} withTime relative="inline" />
            </Fact>
          ) : null}
          <Fact term="Request id">
            <span className="font-mono text-xs">{request.id}</span>
          </Fact>
        </FactList>
        <div>
          <h3 className="mb-1 text-sm text-muted-foreground">Justification</h3>
          <p className="text-sm whitespace-pre-wrap">{request.justification}</p>
        </div>
      </CardContent>
    </Card>
  );
}
