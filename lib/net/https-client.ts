import "server-only";

import https from "node:https";

import { keepAliveAgent } from "@/lib/net/keep-alive-agent";

/*
 * A minimal HTTPS client for the portal's calls that are not the HSM's: MSAL's network module,
 * the identity provider's metadata and keys, Microsoft Graph, and the readiness checks. Trust is
 * per client: the local CA for the local stand-ins, the system's roots for Azure. TLS
 * verification is never turned off.
 */

export interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 1024 * 1024;
type Method = "GET" | "POST";
interface RequestOptions {
  headers?: Record<string, string>;
  body?: string;
}

export function createHttpsClient(caPem: string | undefined) {
  const agent = keepAliveAgent(caPem);
  /**
   * A GET whose kept connection the server closed as it was sent is sent again, once, on a new
   * one (Node's own advice: `reusedSocket` and ECONNRESET); a POST is not, as it may have arrived.
   */
  return async function request(
    method: Method,
    url: string,
    options: RequestOptions = {},
  ): Promise<HttpsResponse> {
    try {
      return await send(agent, method, url, options);
    } catch (error) {
      if (!(error instanceof ClosedReusedConnection)) throw error;
      if (method !== "GET") throw error.cause;
      // The new try may take another kept connection: it is not tried a third time.
      return send(agent, method, url, options).catch((again: unknown) => {
        throw again instanceof ClosedReusedConnection ? again.cause : again;
      });
    }
  };
}

/** A kept connection that the server closed under the request. */
class ClosedReusedConnection extends Error {}

function send(
  agent: https.Agent,
  method: Method,
  url: string,
  options: RequestOptions,
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== "https:") {
      reject(new Error(`refusing a non-https URL: ${target.origin}`));
      return;
    }
    const req = https.request(
      target,
      { method, agent, headers: options.headers, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES)
            req.destroy(
              new Error(`${target.origin} answered more than ${MAX_BODY_BYTES / 1024} KiB`),
            );
          else chunks.push(chunk);
        });
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined)
              headers[name] = Array.isArray(value) ? value.join(", ") : value;
          resolve({
            status: res.statusCode ?? 0,
            headers,
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`no answer from ${target.origin} within ${TIMEOUT_MS / 1000} s`)),
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        req.reusedSocket && error.code === "ECONNRESET"
          ? new ClosedReusedConnection(error.message, { cause: error })
          : error,
      ),
    );
    if (options.body) req.write(options.body);
    req.end();
  });
}

export type HttpsRequest = ReturnType<typeof createHttpsClient>;
