import { createHash } from "node:crypto";

import type { ChangeRequestTable } from "@/lib/db/schema/requests/table";
import type { NewNotification } from "@/lib/notify/outbox";

/*
 * The notification a change request's event becomes. Pure: the request row as it stands after
 * the event (read in the event's transaction), the time and the portal's address in; the
 * notification out. The payload names the request and its people and counts, never the items'
 * changes (an imported key's members, a setting's value): receivers follow the url for those.
 */

export const REQUEST_EVENTS = [
  "filed",
  "approved",
  "rejected",
  "cancelled",
  "expired",
  "executed",
  "failed",
  "stale",
] as const;
export type RequestEventName = (typeof REQUEST_EVENTS)[number];

/** Given to lib/requests when KEYWARD_NOTIFY_WEBHOOK_URL is set; absent, nothing is queued. */
export interface RequestNotify {
  /** The portal's origin, for the link to the request. */
  publicUrl: string;
}

export interface RequestEventPayload {
  type: `keyward.request.${RequestEventName}`;
  /** The event's id, also sent as Keyward-Event-Id. */
  id: string;
  requestId: string;
  kind: string;
  hsm: string | null;
  state: string;
  summary: string;
  requester: { id: string; name: string };
  approvals: number;
  approvalsRequired: number;
  at: string;
  url: string;
}

/** One id per request and event: a request is filed, decided and settled once each. */
export function requestEventId(requestId: string, event: RequestEventName): string {
  return createHash("sha256").update(`${requestId}:${event}`).digest("hex").slice(0, 32);
}

export function requestEvent(
  row: ChangeRequestTable,
  event: RequestEventName,
  at: number,
  notify: RequestNotify,
): NewNotification & { payload: RequestEventPayload } {
  const id = requestEventId(row.id, event);
  const payload: RequestEventPayload = {
    type: `keyward.request.${event}`,
    id,
    requestId: row.id,
    kind: row.kind,
    hsm: row.hsm,
    state: row.state,
    summary: row.summary,
    requester: { id: row.requester_id, name: row.requester_name },
    approvals: row.approvals,
    approvalsRequired: row.approvals_required,
    at: new Date(at).toISOString(),
    url: `${notify.publicUrl}/requests/${encodeURIComponent(row.id)}`,
  };
  return { id, kind: payload.type, payload, target: "notify", at };
}
