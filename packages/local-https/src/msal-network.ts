import https from "node:https";

/*
 * MSAL's network module over HTTPS trusting a given CA (its own client trusts only the system's
 * roots), for tests that run real MSAL against the local identity provider. Shaped like
 * @azure/msal-node's INetworkModule without depending on it.
 */

interface NetworkResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

interface NetworkOptions {
  headers?: Record<string, string>;
  body?: string;
}

export function msalNetworkTrusting(caPem: string) {
  const agent = new https.Agent({ keepAlive: true, ca: caPem });
  const send = <T>(method: string, url: string, headers = {}, body?: string) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const request = https.request(url, { method, agent, headers }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers as Record<string, string>,
            body: (text ? JSON.parse(text) : {}) as T,
          }),
        );
      });
      request.on("error", reject);
      request.end(body);
    });
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkOptions) =>
      send<T>("GET", url, options?.headers),
    sendPostRequestAsync: <T>(url: string, options?: NetworkOptions) =>
      send<T>("POST", url, options?.headers, options?.body),
  };
}
