import type { Route } from "next";

import { REQUEST_KINDS } from "@/lib/requests/kinds";
import type { RequestSummary } from "@/lib/requests/types";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { When } from "@/components/data-table/date-text";
import { RequestStateBadge } from "@/components/requests/request-state-badge";

/**
 * A page of change requests, newest first; each summary opens the request. The summary and
 * the state lead, so that a phone shows both before the table scrolls sideways.
 */
export function RequestsTable({ requests, now }: { requests: RequestSummary[]; now: number }) {
  return (
    <Table scrollLabel="Change requests">
      <TableHeader>
        <TableRow>
          <TableHead>Request</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Approvals</TableHead>
          <TableHead>Filed (UTC)</TableHead>
          <TableHead>Kind</TableHead>
          <TableHead>HSM</TableHead>
          <TableHead>Requester</TableHead>
          <TableHead className="text-right">Items</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {requests.map((request) => (
          <TableRow key={request.id} data-request={request.id}>
            <TableCell className="min-w-48 whitespace-normal">
              <a
                href={`/requests/${request.id}` as Route}
                className="font-medium underline-offset-4 hover:underline"
              >
                {request.summary}
              </a>
            </TableCell>
            <TableCell>
              <RequestStateBadge state={request.state} />
            </TableCell>
            <TableCell className="tabular-nums">
              {request.approvals} of {request.approvalsRequired}
            </TableCell>
            <TableCell>
              <When value={request.filedAt} now={now} />
            </TableCell>
            <TableCell className="min-w-40 whitespace-normal">
              {REQUEST_KINDS[request.kind].label}
            </TableCell>
            <TableCell>{request.hsm ?? "Portal"}</TableCell>
            <TableCell>{request.requester.name}</TableCell>
            <TableCell className="text-right tabular-nums">
              {request.itemCount.toLocaleString("en")}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
