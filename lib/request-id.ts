import { randomUUID } from "node:crypto";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id that ties a response to its log lines. A well-formed id from a fronting proxy is kept
 * for correlation; anything else is replaced, so a client cannot inject text into the logs.
 */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get("x-request-id");
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
