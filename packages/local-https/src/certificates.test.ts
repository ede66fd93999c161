import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { ensureLocalTls } from "./certificates";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-tls-test-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function fetchOver(host: string, ca: Buffer, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get({ host, port, ca, path: "/" }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

describe("ensureLocalTls", () => {
  it("creates a name-constrained CA and a localhost certificate it signed", async () => {
    const tls = await ensureLocalTls(dataDir);
    const ca = new X509Certificate(fs.readFileSync(tls.caFile));
    const leaf = new X509Certificate(fs.readFileSync(tls.certFile));
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkHost("example.com")).toBeUndefined();
    expect(new Date(leaf.validTo).getTime() - Date.now()).toBeLessThanOrEqual(398 * 86_400_000);
    expect(fs.statSync(tls.keyFile).mode & 0o077).toBe(0);
    expect(fs.statSync(path.join(dataDir, "tls", "ca-key.pem")).mode & 0o077).toBe(0);
  });

  it("reuses the certificates it made", async () => {
    const first = fs.readFileSync((await ensureLocalTls(dataDir)).certFile, "utf8");
    const second = fs.readFileSync((await ensureLocalTls(dataDir)).certFile, "utf8");
    expect(second).toBe(first);
  });

  it("replaces a server certificate that the CA did not sign", async () => {
    const tls = await ensureLocalTls(dataDir);
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-tls-other-"));
    const foreign = await ensureLocalTls(otherDir);
    fs.copyFileSync(foreign.certFile, tls.certFile);
    fs.copyFileSync(foreign.keyFile, tls.keyFile);
    const renewed = await ensureLocalTls(dataDir);
    const ca = new X509Certificate(fs.readFileSync(renewed.caFile));
    expect(new X509Certificate(fs.readFileSync(renewed.certFile)).checkIssued(ca)).toBe(true);
    fs.rmSync(otherDir, { recursive: true, force: true });
  });

  it("serves HTTPS that a client trusting only this CA accepts on localhost and 127.0.0.1", async () => {
    const tls = await ensureLocalTls(dataDir);
    const server = https.createServer(
      { cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) },
      (_request, response) => response.end("hello"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const ca = fs.readFileSync(tls.caFile);
    try {
      expect(await fetchOver("localhost", ca, port)).toBe("hello");
      expect(await fetchOver("127.0.0.1", ca, port)).toBe("hello");
      await expect(fetchOver("127.0.0.1", Buffer.from(""), port)).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});
