import fs from "node:fs";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureLocalTls } from "@keyward/local-https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createHttpsClient } from "./https-client";
import { IDLE_CONNECTION_MS } from "./keep-alive-agent";

/*
 * The client against a real HTTPS server with Node's keep-alive (5 s), where a kept connection
 * can be closed by the server just as the client sends on it. The server here closes a
 * connection on its second request when asked to, which is that race made certain.
 */

let server: https.Server;
let baseUrl: string;
let caPem: string;
const connections: Socket[] = [];
let requestsSeen = 0;

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-https-client-"));
  const tls = await ensureLocalTls(dataDir);
  caPem = fs.readFileSync(tls.caFile, "utf8");
  server = https.createServer(
    { cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) },
    (req, res) => {
      requestsSeen += 1;
      const socket = req.socket as Socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      // The race: the server closes the kept connection without answering.
      if (req.url === "/close-when-reused" && socket.served > 1) return socket.destroy();
      res.end("ok");
    },
  );
  server.on("secureConnection", (socket: Socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function counts() {
  return { connections: connections.length, requests: requestsSeen };
}

describe("the portal's HTTPS client", () => {
  it("sends a GET again on a new connection when the server closed the kept one under it", async () => {
    const request = createHttpsClient(caPem);
    const before = counts();
    expect((await request("GET", `${baseUrl}/close-when-reused`)).text).toBe("ok");
    expect((await request("GET", `${baseUrl}/close-when-reused`)).text).toBe("ok");
    expect(counts()).toEqual({
      connections: before.connections + 2,
      requests: before.requests + 3,
    });
  });

  it("does not send a POST again: it may have arrived", async () => {
    const request = createHttpsClient(caPem);
    await request("POST", `${baseUrl}/close-when-reused`, { body: "a" });
    const before = counts();
    await expect(request("POST", `${baseUrl}/close-when-reused`, { body: "a" })).rejects.toThrow(
      /socket hang up/,
    );
    expect(counts()).toEqual({ connections: before.connections, requests: before.requests + 1 });
  });

  it("closes a connection left unused before the server's 5 s would", async () => {
    expect(IDLE_CONNECTION_MS).toBeLessThan(server.keepAliveTimeout);
    const request = createHttpsClient(caPem);
    await request("GET", `${baseUrl}/`);
    const reused = counts();
    await request("GET", `${baseUrl}/`);
    expect(counts().connections, "kept while in use").toBe(reused.connections);
    await new Promise((resolve) => setTimeout(resolve, IDLE_CONNECTION_MS + 300));
    await request("GET", `${baseUrl}/`);
    expect(counts().connections, "a new one after the idle time").toBe(reused.connections + 1);
  });
});
