import https from "node:https";

/*
 * A plain HTTPS request for tests, benchmarks and tools that talk to the local servers below the
 * SDKs: it trusts only the local CA (or the given agent's trust) and never turns verification off.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON when it is JSON, else undefined. */
  body: unknown;
  text: string;
}

export interface RawRequestOptions {
  /** Trusted CA (PEM); or pass an `agent` that carries the trust (keep-alive in benchmarks). */
  caPem?: string;
  agent?: https.Agent;
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded (token requests). */
  form?: Record<string, string>;
  host?: string;
}

export function rawRequest(
  url: string,
  method: string,
  options: RawRequestOptions,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const [payload, contentType] =
      options.form !== undefined
        ? [new URLSearchParams(options.form).toString(), "application/x-www-form-urlencoded"]
        : options.body !== undefined
          ? [JSON.stringify(options.body), "application/json"]
          : [undefined, undefined];
    const request = https.request(
      url,
      {
        method,
        ...(options.agent ? { agent: options.agent } : { ca: options.caPem }),
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload
            ? { "content-type": contentType, "content-length": Buffer.byteLength(payload) }
            : {}),
          ...(options.host ? { host: options.host } : {}),
        },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => {
          let body: unknown;
          try {
            body = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body });
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}
