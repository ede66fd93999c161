import type { APIRequestContext } from "@playwright/test";
import fc from "fast-check";

import { REQUEST_KIND_NAMES } from "@/lib/requests/kind-names";
import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectClearAnswer, shown } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The change-request routes under generated bad input (fast-check): whatever the body, query or
 * id, the answer is never a 5xx and every refusal is problem+json with a detail. Decisions are
 * sent by the person who filed the request, so that a body that happens to be valid is refused
 * (no self-approval) and nothing is ever approved by this test.
 */

const RUNS = 40;

const kind = fc.oneof(fc.constantFrom(...REQUEST_KIND_NAMES), fc.string({ maxLength: 30 }));
const item = fc.oneof(
  fc.anything(),
  fc.record(
    {
      key: fc.oneof(fc.string({ maxLength: 140 }), fc.integer()),
      kty: fc.constantFrom("RSA", "EC", "oct", "RSA-HSM", ""),
      size: fc.oneof(fc.integer(), fc.double()),
      curve: fc.string(),
      tags: fc.dictionary(fc.string(), fc.anything()),
      expiresOn: fc.oneof(
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constant(null),
      ),
      policy: fc.anything(),
      scope: fc.string(),
      principalId: fc.uuid(),
      roleDefinitionId: fc.string(),
      jwk: fc.dictionary(fc.string(), fc.string()),
    },
    { requiredKeys: [] },
  ),
);
const filing = fc.oneof(
  fc.anything(),
  fc.record(
    {
      kind,
      hsm: fc.oneof(fc.constantFrom("keyward-weu", "keyward-neu"), fc.string({ maxLength: 30 })),
      justification: fc.string({ maxLength: 3000 }),
      items: fc.oneof(fc.array(item, { maxLength: 5 }), fc.anything()),
    },
    { requiredKeys: [] },
  ),
);

/** A generated body as a failure names it; `undefined` (no body at all) has no JSON. */
test.describe("the change-request routes under generated bad input", () => {
  test.use({ storageState: storageStatePath("dualrole") });

  test("never answer with a 5xx, and explain every refusal", async ({ request, stack }) => {
    test.setTimeout(120_000);
    const origin = new URL(stack.portal.url).origin;
    const post = (context: APIRequestContext, path: string, data: unknown) =>
      context.post(path, {
        headers: { origin, "content-type": "application/json" },
        data: JSON.stringify(data),
      });

    await fc.assert(
      fc.asyncProperty(filing, async (body) =>
        expectClearAnswer(await post(request, "/api/requests", body), `POST ${shown(body)}`),
      ),
      { numRuns: RUNS },
    );

    // A request of this caller's own to decide on: every decision is refused or invalid.
    const filed = await post(request, "/api/requests", {
      kind: "key.update",
      hsm: "keyward-weu",
      justification: "Generated bad input: a request nobody approves",
      items: [{ key: "payments-signing-prod-01", tags: { fuzz: "never-applied" } }],
    });
    expect(filed.status()).toBe(201);
    const { id } = (await filed.json()) as { id: string };
    const decision = fc.oneof(
      fc.anything(),
      fc.record(
        { comment: fc.anything(), acknowledge: fc.anything(), reason: fc.anything() },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(decision, fc.constantFrom("approve", "reject"), async (body, verb) => {
        const response = await post(request, `/api/requests/${id}/${verb}`, body);
        await expectClearAnswer(response, `${verb} ${shown(body)}`);
        expect(response.status(), verb).not.toBe(200);
      }),
      { numRuns: RUNS },
    );
    const path = fc.oneof(fc.uuid(), fc.string({ maxLength: 60 }).map(encodeURIComponent));
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.constantFrom("", "/approve", "/reject", "/cancel"),
        async (segment, action) => {
          const url = `/api/requests/${segment}${action}`;
          const response = action ? await post(request, url, {}) : await request.get(url);
          await expectClearAnswer(response, url);
        },
      ),
      { numRuns: RUNS },
    );
    const query = fc.dictionary(
      fc.constantFrom("state", "kind", "hsm", "mine", "toReview", "before", "limit", "x"),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        const response = await request.get(
          `/api/requests?${new URLSearchParams(params).toString()}`,
        );
        await expectClearAnswer(response, JSON.stringify(params));
      }),
      { numRuns: RUNS },
    );
    // The request stays pending: nothing above decided it.
    const after = (await (await request.get(`/api/requests/${id}`)).json()) as { state: string };
    expect(after.state).toBe("pending");
    expect((await post(request, `/api/requests/${id}/cancel`, {})).status()).toBe(200);
  });
});
