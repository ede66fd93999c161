import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { probeHsm } from "@/lib/hsm/probe";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack([{ name: "probe-weu", region: "West Europe" }]);
});

afterAll(async () => {
  await stack?.close();
});

const probe = (url: string, caPem?: string) =>
  probeHsm({ url, caPem }, AbortSignal.timeout(5_000)).then(
    () => "pass",
    (error: Error) => error.message,
  );

describe("probeHsm", () => {
  it("passes for an HSM that answers with the Key Vault challenge", async () => {
    expect(await probe(stack.hsmUrl("probe-weu"), stack.caPem)).toBe("pass");
  });

  it("fails for an HTTPS server that is not an HSM", async () => {
    expect(await probe(new URL(stack.idp.issuer).origin, stack.caPem)).toMatch(
      /without a Key Vault challenge/,
    );
  });

  it("fails when the HSM's certificate is not trusted, rather than skipping verification", async () => {
    expect(await probe(stack.hsmUrl("probe-weu"))).toMatch(/certificate/i);
  });
});
