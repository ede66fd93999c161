import type { IncomingMessage } from "node:http";

import { badParameter } from "../errors";

/*
 * Reads a request the way the real clients send it: the query decoded properly (the JS SDK
 * sends `api%2Dversion`), repeated and trailing slashes folded (`///providers/…`,
 * `/keys/k1/`, `/keys/k1//sign`), and `kid`/`nextLink` URLs built from the origin the client
 * used, so they stay on it.
 */

export const SUPPORTED_API_VERSIONS = [
  "7.2",
  "7.3",
  "7.4-preview.1",
  "7.4",
  "7.5",
  "7.6",
  "2025-07-01",
];
export const LATEST_API_VERSION = "2025-07-01";
const MAX_BODY_BYTES = 1024 * 1024;

export interface HsmRequest {
  method: string;
  /** Path segments after folding slashes, e.g. ["keys", "k1", "sign"]. */
  segments: string[];
  query: URLSearchParams;
  /** `https://host:port` as the client addressed this HSM. */
  origin: string;
  body: unknown;
  rawBodyLength: number;
  authorization: string | undefined;
  requestId: string;
}

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

export function requestOrigin(hostHeader: string | undefined, port: number): string {
  return hostHeader && LOOPBACK_HOST.test(hostHeader)
    ? `https://${hostHeader.toLowerCase()}`
    : `https://localhost:${port}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badParameter(`The path segment "${segment}" is not valid percent-encoding.`);
  }
}

export async function readRequest(
  req: IncomingMessage,
  port: number,
  requestId: string,
): Promise<HsmRequest> {
  // Not `new URL(req.url, base)`: a path such as "///providers/…" would parse as a host.
  const raw = req.url ?? "/";
  const queryAt = raw.indexOf("?");
  const pathname = queryAt >= 0 ? raw.slice(0, queryAt) : raw;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw badParameter("The request body is too large.");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw badParameter("The request body is not valid JSON.");
    }
  }
  return {
    method: (req.method ?? "GET").toUpperCase(),
    segments: pathname.split("/").filter(Boolean).map(safeDecode),
    query: new URLSearchParams(queryAt >= 0 ? raw.slice(queryAt + 1) : ""),
    origin: requestOrigin(req.headers.host, port),
    body,
    rawBodyLength: size,
    authorization: req.headers.authorization,
    requestId,
  };
}

/** Every call names an api-version the service knows, except the status URLs of long-running operations. */
export function checkApiVersion(request: HsmRequest, optional: boolean): void {
  const version = request.query.get("api-version");
  if (version === null) {
    if (optional) return;
    throw badParameter(
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if (!SUPPORTED_API_VERSIONS.includes(version))
    throw badParameter(
      `The specified version (${version}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`,
    );
}
