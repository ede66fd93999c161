import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TriangleAlertIcon } from "lucide-react";

import { requirePermission } from "@/lib/auth/current-session";
import { REAUTHENTICATE_PATH, reauthenticationHref } from "@/lib/auth/reauth-href";
import { isAppError } from "@/lib/errors";
import { kindWarning } from "@/lib/requests/describe-change";
import { REQUEST_KINDS } from "@/lib/requests/kinds";
import { requestIdParams } from "@/lib/requests/route-params";
import { requestView, type RequestView } from "@/lib/requests/service";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { FindingsList } from "@/components/access/findings-list";
import { PageHeader } from "@/components/layout/page-header";
import { RequestStateBadge } from "@/components/requests/request-state-badge";

import { CancelRequest } from "./cancel-request";
import { changeNames } from "./change-names";
import { DecisionPanel } from "./decision-panel";
import { RequestApprovals } from "./request-approvals";
import { RequestFacts } from "./request-facts";
import { RequestImpact } from "./request-impact";
import { RequestItems } from "./request-items";
import { RequestTimeline } from "./request-timeline";

export const metadata: Metadata = { title: "Change request" };

/**
 * The request if the viewer may see it (a request they may not see does not exist for them),
 * and the time it was read at, which the page's relative times count from.
 */
async function viewOrNotFound(session: Parameters<typeof requestView>[0], id: string) {
  if (!requestIdParams.safeParse({ id }).success) notFound();
  const now = Date.now();
  try {
    return { view: await requestView(session, id, now), now };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

/** The viewer's part in a pending request: decide, sign in again first, or why not. */
function YourDecision({ view }: { view: RequestView }) {
  const { request, actions, impact } = view;
  const { approve } = actions;
  if (request.state !== "pending") return null;
  const returnTo = `/requests/${request.id}`;
  const critical = impact?.added.filter((f) => f.severity === "critical") ?? [];
  return (
    <section aria-label="Your decision" className="flex flex-col gap-3 border-t pt-4">
      {approve.reauthenticate ? (
        <>
          <p className="text-sm">
            Deciding needs a sign-in from the last 10 minutes. You will be asked for your
            credentials again and brought back to this request.
          </p>
          <div>
            <a
              href={reauthenticationHref(returnTo, REAUTHENTICATE_PATH)}
              className={buttonVariants()}
            >
              Sign in again to approve or reject
            </a>
          </div>
        </>
      ) : approve.allowed ? (
        <DecisionPanel
          requestId={request.id}
          criticalCount={critical.length}
          criticalFindings={
            <FindingsList findings={critical} label="Critical findings approving adds" />
          }
        />
      ) : approve.reason ? (
        <p className="text-sm text-muted-foreground" data-testid="decision-refusal">
          {approve.reason}
        </p>
      ) : null}
      {actions.cancel ? <CancelRequest requestId={request.id} /> : null}
    </section>
  );
}

export default async function RequestPage({ params }: PageProps<"/requests/[id]">) {
  const session = await requirePermission("requests.read");
  const { view, now } = await viewOrNotFound(session, (await params).id);
  const { request, impact } = view;
  const names = await changeNames(request);
  const warning = kindWarning(request.kind);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/requests" className="underline-offset-4 hover:underline">
          Change requests
        </Link>{" "}
        / {request.id.slice(0, 8)}
      </nav>
      <PageHeader
        title={request.summary}
        description={`${REQUEST_KINDS[request.kind].label}, filed by ${request.requester.name}`}
      >
        <RequestStateBadge state={request.state} />
      </PageHeader>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        {warning ? (
          <Alert variant="warning" className="lg:col-span-2" data-testid="request-warning">
            <TriangleAlertIcon aria-hidden />
            <AlertTitle className="line-clamp-none">Before you approve</AlertTitle>
            <AlertDescription>
              <p>{warning}</p>
            </AlertDescription>
          </Alert>
        ) : null}
        <RequestFacts request={request} now={now} />
        <RequestApprovals request={request} now={now}>
          <YourDecision view={view} />
        </RequestApprovals>
        {request.kind.startsWith("role-assignment.") ? (
          <div className="lg:col-span-2">
            <RequestImpact impact={impact} />
          </div>
        ) : null}
        <div className="lg:col-span-2">
          <RequestItems request={request} names={names} />
        </div>
        <div className="lg:col-span-2">
          <RequestTimeline events={request.timeline} now={now} />
        </div>
      </div>
    </>
  );
}
