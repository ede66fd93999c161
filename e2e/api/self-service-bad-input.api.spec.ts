import fc from "fast-check";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectClearAnswer, shown } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The self-service routes under generated bad input (fast-check, fixed seed): a requester's
 * filings from templates and time-limited grants, the grants list, the directory search and the
 * templates. Never a 5xx, every refusal problem+json with a detail, and nothing filed.
 */

const RUNS = 40;
const SEED = 20261204;
const PAYMENTS = "3243182d-1727-4605-9abd-29ce37fe0480";

const templateItem = fc.record(
  {
    template: fc.oneof(
      fc.constantFrom("storage-cmk", "data-key-wrap", "signing-p256"),
      fc.string(),
    ),
    group: fc.oneof(fc.constant(PAYMENTS), fc.uuid(), fc.string()),
    name: fc.oneof(fc.string({ maxLength: 140 }), fc.integer()),
    tags: fc.oneof(
      fc.dictionary(fc.constantFrom("app", "environment", "owner", "template", "x"), fc.string()),
      fc.anything(),
    ),
    kty: fc.constantFrom("RSA", "oct"),
  },
  { requiredKeys: ["template"] },
);
const grantItem = fc.record(
  {
    scope: fc.oneof(fc.constantFrom("/", "/keys", "/keys/payments-signing-prod-01"), fc.string()),
    roleDefinitionId: fc.oneof(fc.constant("21dbd100-6940-42c2-9190-5d6cb909625b"), fc.uuid()),
    principalId: fc.oneof(fc.constant("eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe"), fc.uuid()),
    expiresAfter: fc.oneof(
      fc.constantFrom("PT1M", "PT14M", "P31D", "P1M", "P1Y", "", "P", "PT", "-PT1H", "P1.5D"),
      fc.string({ maxLength: 20 }),
      fc.integer(),
    ),
  },
  { requiredKeys: ["expiresAfter"] },
);
const filing = fc.record({
  kind: fc.constantFrom("key.create", "role-assignment.create", "key.update", "template.upsert"),
  hsm: fc.constantFrom("keyward-weu", "keyward-neu"),
  justification: fc.constant("Generated bad input for self-service"),
  items: fc.array(fc.oneof(templateItem, grantItem, fc.anything()), { minLength: 1, maxLength: 3 }),
});

test.describe("the self-service routes under generated bad input", () => {
  test.use({ storageState: storageStatePath("requester") });

  test("never answer with a 5xx, explain every refusal, and file nothing", async ({
    request,
    stack,
  }) => {
    test.setTimeout(120_000);
    const origin = new URL(stack.portal.url).origin;
    const mine = async () =>
      (
        (await (await request.get("/api/requests?mine=true&limit=200")).json()) as {
          requests: unknown[];
        }
      ).requests.length;
    const before = await mine();

    await fc.assert(
      fc.asyncProperty(filing, async (body) => {
        const response = await request.post("/api/requests", {
          headers: { origin, "content-type": "application/json" },
          data: JSON.stringify(body),
        });
        await expectClearAnswer(response, `POST ${shown(body)}`);
        expect(response.status(), shown(body)).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(await mine()).toBe(before);

    const query = (names: string[]) =>
      fc.dictionary(fc.constantFrom(...names), fc.string({ maxLength: 60 }));
    for (const [path, names] of [
      ["/api/grants", ["mine", "state", "hsm", "key", "x"]],
      ["/api/principals", ["kind", "q", "x"]],
    ] as const)
      await fc.assert(
        fc.asyncProperty(query([...names]), async (params) => {
          const url = `${path}?${new URLSearchParams(params).toString()}`;
          await expectClearAnswer(await request.get(url), url);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (name) => {
        const url = `/api/key-templates/${encodeURIComponent(name)}`;
        await expectClearAnswer(await request.get(url), url);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
