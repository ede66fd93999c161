import type { ServerResponse } from "node:http";

import type { HsmError } from "../errors";

export interface HsmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown): HsmResponse => ({ status: 200, body });

/** The headers Managed HSM sends on every response (observed), with this HSM's region. */
function standardHeaders(region: string, requestId: string): Record<string, string> {
  return {
    "x-ms-request-id": requestId,
    "x-ms-keyvault-region": region,
    "x-ms-keyvault-service-version": "keyward-emulator",
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "content-security-policy": "default-src 'self'",
  };
}

export function send(
  res: ServerResponse,
  region: string,
  requestId: string,
  response: HsmResponse,
): void {
  const headers = { ...standardHeaders(region, requestId), ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, { ...headers, "content-length": "0" });
    res.end();
    return;
  }
  const payload = JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

export function errorResponse(error: HsmError): HsmResponse {
  return { status: error.status, body: error.toBody(), headers: error.headers };
}
