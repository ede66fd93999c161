import http, { type RequestListener } from "node:http";
import https from "node:https";

/**
 * Listens on both loopback addresses (127.0.0.1 and ::1, when the machine has IPv6), since
 * "localhost" may resolve to either. Never on a public interface: these are local test servers.
 * Port 0 takes a free port on 127.0.0.1 and the same one on ::1; `boundPort` tells which.
 */
export async function listenOnLoopback(
  listener: RequestListener,
  port: number,
  tls?: { cert: string; key: string },
): Promise<http.Server[]> {
  const servers: http.Server[] = [];
  for (const host of ["127.0.0.1", "::1"]) {
    if (servers[0]) port = boundPort(servers);
    const server = tls
      ? https.createServer({ ...tls, keepAliveTimeout: 30_000 }, listener)
      : http.createServer(listener);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ port, host, exclusive: true }, resolve);
      });
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (host === "::1" && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue;
      await closeServers(servers);
      throw error;
    }
  }
  return servers;
}

/** The port the servers listen on. */
export function boundPort(servers: http.Server[]): number {
  const address = servers[0]?.address();
  if (!address || typeof address === "string") throw new Error("the server is not listening");
  return address.port;
}

export function closeServers(servers: http.Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  ).then(() => undefined);
}
