import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LOCAL_TENANT_ID, LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { emulatorConnection, writeEmulatorConnection } from "@/scripts/lib/emulator-connection";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/*
 * The README's way for another project to use the emulator, run as that project would run it:
 * examples/emulator-client.mjs in its own Node process, reading emulator.json, trusting the local
 * CA through NODE_EXTRA_CA_CERTS and calling the unmodified KeyClient.
 */

const run = promisify(execFile);
const EXAMPLE = path.resolve("examples", "emulator-client.mjs");
let stack: TestStack;
let connectionFile: string;

beforeAll(async () => {
  stack = await startTestStack([{ name: "example-weu", region: "West Europe" }], {
    testMode: false,
  });
  connectionFile = writeEmulatorConnection(
    stack.dataDir,
    emulatorConnection({
      hsms: [{ name: "example-weu", region: "West Europe", url: stack.hsmUrl("example-weu") }],
      caFile: path.join(stack.dataDir, "tls", "ca.pem"),
      issuer: stack.idp.issuer,
      tenantId: LOCAL_TENANT_ID,
      toolClientObjectId: stack.principalOf(LOCAL_TOOL_CLIENT_ID),
      toolClientSecret: stack.secrets.toolClientSecret,
    }),
  );
});

afterAll(async () => {
  await stack?.close();
});

describe("examples/emulator-client.mjs", () => {
  it("gets a token, grants itself the key roles, creates a key and signs, twice", async () => {
    for (const _attempt of [1, 2]) {
      const { stdout } = await run(process.execPath, [EXAMPLE, connectionFile], {
        env: {
          PATH: "/usr/bin:/bin",
          NODE_ENV: "test",
          NODE_EXTRA_CA_CERTS: path.join(stack.dataDir, "tls", "ca.pem"),
        },
      });
      expect(JSON.parse(stdout)).toMatchObject({
        hsm: "example-weu",
        key: expect.stringMatching(
          new RegExp(`^${stack.hsmUrl("example-weu")}/keys/example-\\d+/[0-9a-f]{32}$`),
        ) as unknown,
        signatureBytes: 256,
      });
    }
  });

  it("fails without the local CA rather than skipping verification", async () => {
    const failure = await run(process.execPath, [EXAMPLE, connectionFile], {
      env: { PATH: "/usr/bin:/bin", NODE_ENV: "test" },
    }).then(
      () => null,
      (error: Error & { stderr: string }) => error.stderr,
    );
    expect(failure).toMatch(/certificate|fetch failed/i);
  });
});
