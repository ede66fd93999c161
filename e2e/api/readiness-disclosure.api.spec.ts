import type { APIRequestContext, APIResponse } from "@playwright/test";

import { storageStatePath, type AccountName } from "@/e2e/fixtures/accounts";
import { expectProblem } from "@/e2e/fixtures/http";
import { E2E_READY_TOKEN } from "@/e2e/fixtures/readiness";
import { expect, test } from "@/e2e/fixtures/test";
import type { LocalJson } from "@/scripts/lib/local-json";

/*
 * /api/ready answers anyone, so it must not map the portal's internals for them: anonymous
 * callers and users without "status.read" learn whether the portal is ready and nothing else.
 * Key administrators, auditors and the load balancer's token see every dependency.
 */

const DEPENDENCIES = [
  "database",
  "identity-provider",
  "hsm:keyward-weu",
  "hsm:keyward-neu",
  "blob-storage",
];

/** Text that would tell an outsider where the portal's dependencies live. */
function internals(stack: LocalJson): string[] {
  return [
    "localhost",
    "127.0.0.1",
    "SQLite",
    "hsm:",
    "latency",
    "target",
    "checks",
    new URL(stack.idp.issuer).host,
    ...stack.hsms.map((hsm) => new URL(hsm.url).host),
  ];
}

test.describe("readiness for callers who may not see the details", () => {
  test("an anonymous caller learns only whether the portal is ready", async ({
    request,
    stack,
  }) => {
    const response = await request.get("/api/ready");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as unknown;
    expect(body).toEqual({ status: "pass", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    for (const hidden of internals(stack)) expect(JSON.stringify(body)).not.toContain(hidden);
  });

  test("another authorization scheme is not a readiness token", async ({ request }) => {
    const response = await request.get("/api/ready", {
      headers: { authorization: `Basic ${Buffer.from("lb:secret").toString("base64")}` },
    });
    expect(response.status()).toBe(200);
    expect(Object.keys((await response.json()) as object).sort()).toEqual(["status", "version"]);
  });

  for (const caller of ["requester", "approver", "newcomer"] as const satisfies AccountName[])
    test.describe(`a signed-in ${caller}`, () => {
      test.use({ storageState: storageStatePath(caller) });

      test("learns only the status (no status.read)", async ({ request, stack }) => {
        const response = await request.get("/api/ready");
        expect(response.status()).toBe(200);
        const text = await response.text();
        expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(["status", "version"]);
        for (const hidden of internals(stack)) expect(text).not.toContain(hidden);
      });
    });
});

test.describe("readiness for callers who may see the details", () => {
  const fetchReady = (request: APIRequestContext, headers: Record<string, string> = {}) =>
    request.get("/api/ready", { headers });

  async function expectDetails(response: APIResponse, stack: LocalJson) {
    expect(response.status()).toBe(200);
    const body = (await response.json()) as {
      status: string;
      checkedAt: string;
      checks: { name: string; status: string; target: string; latencyMs: number }[];
    };
    expect(body.status).toBe("pass");
    expect(Date.now() - Date.parse(body.checkedAt)).toBeLessThan(60_000);
    expect(body.checks.map((check) => [check.name, check.status])).toEqual(
      DEPENDENCIES.map((name) => [name, "pass"]),
    );
    expect(body.checks.find((check) => check.name === "hsm:keyward-weu")?.target).toBe(
      stack.hsms.find((hsm) => hsm.name === "keyward-weu")?.url,
    );
  }

  for (const caller of ["keyadmin", "auditor"] as const satisfies AccountName[])
    test.describe(`a signed-in ${caller}`, () => {
      test.use({ storageState: storageStatePath(caller) });

      test("sees every dependency, its target and its latency (status.read)", async ({
        request,
        stack,
      }) => {
        await expectDetails(await fetchReady(request), stack);
      });
    });

  test("the load balancer's token sees every dependency", async ({ request, stack }) => {
    await expectDetails(
      await fetchReady(request, { authorization: `Bearer ${E2E_READY_TOKEN}` }),
      stack,
    );
  });

  for (const [name, token] of [
    ["a wrong token", `${E2E_READY_TOKEN.slice(0, -1)}X`],
    ["a token of another length", E2E_READY_TOKEN.slice(0, 12)],
    ["an empty token", ""],
  ])
    test(`${name} is refused with 401 and no details`, async ({ request }) => {
      const response = await fetchReady(request, { authorization: `Bearer ${token}` });
      const problem = await expectProblem(response, 401, "unauthenticated");
      expect(response.headers()["www-authenticate"]).toBe('Bearer error="invalid_token"');
      expect(problem).not.toHaveProperty("checks");
    });
});
