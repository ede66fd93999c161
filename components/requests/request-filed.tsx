import type { Route } from "next";
import Link from "next/link";
import { CircleCheckIcon } from "lucide-react";

import type { FiledRequest } from "./use-file-request";

/**
 * The end of every change form: the request is filed and waits for approval. Nothing on the
 * HSM has changed, and the page keeps showing the current values until the change is executed.
 */
export function RequestFiled({
  request,
  children,
}: {
  request: FiledRequest;
  /** What else the person should know (a rotation policy can follow once the key exists). */
  children?: React.ReactNode;
}) {
  const approvals = request.approvalsRequired;
  return (
    <div role="status" className="flex flex-col gap-3 text-sm">
      <p className="flex items-center gap-2 text-base font-semibold">
        <CircleCheckIcon aria-hidden className="size-5 text-success" />
        Request filed
      </p>
      <p className="[overflow-wrap:anywhere]">{request.summary}.</p>
      <p className="text-muted-foreground">
        {approvals === 0
          ? "Its key template needs no approval: the portal carries it out now, and the request's page shows when it is done."
          : `It waits for ${approvals === 1 ? "one approval" : `${approvals} approvals`} from someone other than you. Nothing changes on the HSM until it is approved and executed; until then the page shows what the HSM holds now.`}
      </p>
      {children}
      <Link
        href={`/requests/${request.id}` as Route}
        prefetch={false}
        className="ui-link w-fit font-medium text-primary underline"
      >
        View the request
      </Link>
    </div>
  );
}
