import { approvalPolicyInWords } from "@/lib/requests/describe-change";
import type { RequestDetail } from "@/lib/requests/types";
import { templateOfRequest } from "@/lib/templates/describe";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { When } from "@/components/data-table/date-text";

/** The approvals so far against the policy the request was filed under, and each decision. */
export function RequestApprovals({
  request,
  now,
  children,
}: {
  request: RequestDetail;
  now: number;
  /** The viewer's own part: the decision buttons, or why they have none. */
  children?: React.ReactNode;
}) {
  const template = templateOfRequest(request);
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          Approvals: {request.approvals} of {request.approvalsRequired}
        </CardTitle>
        <CardDescription>
          {template && request.approvalsRequired === 0
            ? `Needs no approval: the key template ${template} lets this change run at once (it is still audited).`
            : template
              ? `Needs ${request.approvalsRequired} distinct approver${request.approvalsRequired === 1 ? "" : "s"}, as the key template ${template} says, within ${request.policy.windowHours} hours of filing; the requester cannot approve their own request.`
              : `Needs ${approvalPolicyInWords(request.policy, request.approvalsRequired)} of filing; the requester cannot approve their own request.`}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {request.decisions.length === 0 ? (
          <p className="text-sm text-muted-foreground">Nobody has decided yet.</p>
        ) : (
          <ul aria-label="Decisions" className="flex flex-col gap-3">
            {request.decisions.map((decision) => (
              <li key={decision.approver.id} className="rounded-lg border p-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge variant={decision.decision === "approve" ? "success" : "destructive"}>
                    {decision.decision === "approve" ? "Approved" : "Rejected"}
                  </Badge>
                  <span className="font-medium">{decision.approver.name}</span>
                  <span className="text-muted-foreground">
                    <When value={decision.at} now={now} withTime />
                  </span>
                </div>
                {decision.comment ? (
                  <p className="mt-2 whitespace-pre-wrap">
                    <span className="text-muted-foreground">
                      {decision.decision === "approve" ? "Comment: " : "Reason: "}
                    </span>
                    {decision.comment}
                  </p>
                ) : null}
                {decision.acknowledgement ? (
                  <p className="mt-2 whitespace-pre-wrap">
                    <span className="text-muted-foreground">
                      Accepted {decision.acknowledgement.findings.length} critical
                      separation-of-duties finding
                      {decision.acknowledgement.findings.length === 1 ? "" : "s"}:{" "}
                    </span>
                    {decision.acknowledgement.reason}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {children}
      </CardContent>
    </Card>
  );
}
