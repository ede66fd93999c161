import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

import { expect, test } from "@/e2e/fixtures/test";

/*
 * The portal keeps an idle connection open longer than a proxy in front would (65 s unless
 * KEEP_ALIVE_TIMEOUT says otherwise; scripts/lib/standalone.ts). With Node's 5 s, a proxy or
 * client reusing a connection just as the server closed it got a reset: a 502 from a proxy, a
 * "socket hang up" for an API client.
 */

/** One GET over the agent's connection; answers with the status and the socket it used. */
function get(agent: http.Agent, url: string) {
  return new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      response.resume();
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, socket: request.socket }),
      );
    });
    request.on("error", reject);
  });
}

test("an idle connection is kept past Node's 5-second default, for the next request", async ({
  stack,
}) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(agent, stack.portal.healthUrl);
    expect(first.status).toBe(200);
    // Idle for longer than Node's default: the server would have closed the connection.
    await sleep(6_500);
    const second = await get(agent, stack.portal.healthUrl);
    expect(second.status).toBe(200);
    expect(second.socket, "the second request reused the first one's connection").toBe(
      first.socket,
    );
  } finally {
    agent.destroy();
  }
});
