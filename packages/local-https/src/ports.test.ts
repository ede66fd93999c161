import net from "node:net";
import { describe, expect, it } from "vitest";

import { assertPortFree, freePort, PortInUseError } from "./ports";

describe("assertPortFree", () => {
  it("names the port and the variable that moves it when the port is taken", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const attempt = assertPortFree(port, "KEYWARD_PORT", "portal");
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(`Port ${port} (portal) is already in use`);
      await expect(attempt).rejects.toThrow("KEYWARD_PORT=<port>");
    } finally {
      server.close();
    }
  });

  it("accepts a free port", async () => {
    await expect(
      assertPortFree(await freePort(), "KEYWARD_PORT", "portal"),
    ).resolves.toBeUndefined();
  });
});
