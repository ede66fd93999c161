import net from "node:net";

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
    readonly service: string,
  ) {
    super(
      `Port ${port} (${service}) is already in use. Stop whatever listens there, or choose another port with ${variable}=<port>.`,
    );
    this.name = "PortInUseError";
  }
}

function canListen(port: number, host: string): Promise<boolean | "no-such-address"> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === "EADDRNOTAVAIL" || error.code === "EAFNOSUPPORT" ? "no-such-address" : false,
      ),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Refuses a port taken on either loopback address, since "localhost" may resolve to either. */
export async function assertPortFree(
  port: number,
  variable: string,
  service: string,
): Promise<void> {
  for (const host of ["127.0.0.1", "::1"]) {
    if ((await canListen(port, host)) === false) throw new PortInUseError(port, variable, service);
  }
}

/** A port the kernel considers free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === "object"
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  isAlive: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error("the process exited before it opened its port");
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs / 1000} s`);
}
