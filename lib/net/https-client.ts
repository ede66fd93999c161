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

export function createHttpsClient(caPem: string | undefined) {
  const agent = new https.Agent({ keepAlive: true, ...(caPem ? { ca: caPem } : {}) });
  return function request(
    method: "GET" | "POST",
    url: string,
    options: { headers?: Record<string, string>; body?: string } = {},
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
      req.on("error", reject);
      if (options.body) req.write(options.body);
      req.end();
    });
  };
}

export type HttpsRequest = ReturnType<typeof createHttpsClient>;
