import { randomUUID } from "node:crypto";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id that ties a response to its log lines and its audit events: always the portal's own.
 * An id sent by the client never takes its place, or a caller could file its audit events under
 * another request's id.
 */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * The log bindings of one request: its id, and a fronting proxy's well-formed `x-request-id`
 * beside it as `clientRequestId`, for correlation. A malformed one is dropped, so a client
 * cannot inject text into the logs.
 */
export function requestLogBindings(
  requestId: string,
  headers: Headers,
): { requestId: string; clientRequestId?: string } {
  const incoming = headers.get("x-request-id");
  return incoming && SAFE_REQUEST_ID.test(incoming)
    ? { requestId, clientRequestId: incoming }
    : { requestId };
}
