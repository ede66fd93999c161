import http, { type RequestListener } from "node:http";
import https from "node:https";

/**
 * Listens on both loopback addresses (127.0.0.1 and ::1, when the machine has IPv6), since
 * "localhost" may resolve to either. Never on a public interface: these are local test servers.
 */
export async function listenOnLoopback(
  listener: RequestListener,
  port: number,
  tls?: { cert: string; key: string },
): Promise<http.Server[]> {
  const servers: http.Server[] = [];
  for (const host of ["127.0.0.1", "::1"]) {
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
