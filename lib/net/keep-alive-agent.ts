import "server-only";

import https from "node:https";

/**
 * How long a kept connection may wait unused for the next request. Node 20's agent keeps idle
 * connections with no limit and ignores the server's `Keep-Alive: timeout=` hint, while Node's
 * servers (the local stand-ins, many others) close theirs after 5 s: a request sent just as the
 * server closes one fails with "socket hang up". Closing ours first avoids that race.
 */
export const IDLE_CONNECTION_MS = 4_000;

/**
 * The agent for the portal's own HTTPS connections (its HTTPS client, the emulator's HSM
 * clients, the HSM probe): kept connections, closed after IDLE_CONNECTION_MS unused, trusting
 * `caPem` alone when given and the system's roots otherwise.
 */
export function keepAliveAgent(caPem?: string): https.Agent {
  return new https.Agent({
    keepAlive: true,
    timeout: IDLE_CONNECTION_MS,
    ...(caPem ? { ca: caPem } : {}),
  });
}
