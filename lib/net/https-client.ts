import "server-only";

import https from "node:https";

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
/**
 * How long a connection may wait unused for the next request. Node 20's agent keeps idle
 * connections with no limit and ignores the server's `Keep-Alive: timeout=` hint, while Node's
 * servers (the local stand-ins, many others) close theirs after 5 s: a request sent just as the
 * server closes one fails with "socket hang up". Closing ours first avoids that race.
 */
export const IDLE_CONNECTION_MS = 4_000;

type Method = "GET" | "POST";
interface RequestOptions {
  headers?: Record<string, string>;
  body?: string;
}

export function createHttpsClient(caPem: string | undefined) {
  const agent = new https.Agent({
    keepAlive: true,
    timeout: IDLE_CONNECTION_MS,
    ...(caPem ? { ca: caPem } : {}),
  });
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
      if (method === "GET" && error instanceof ClosedReusedConnection)
        return send(agent, method, url, options);
      throw error instanceof ClosedReusedConnection ? error.cause : error;
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
