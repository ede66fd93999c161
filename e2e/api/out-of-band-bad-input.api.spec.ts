import type { APIResponse } from "@playwright/test";
import fc from "fast-check";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectClearAnswer, shown } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The out-of-band routes under bad input: named cases with their exact answers, then generated
 * ones (fast-check, fixed seed) that are never a 5xx and always problem+json with a detail. Sent
 * by a key administrator, who may explain, so that input reaches validation; every id is one no
 * change has (a fresh UUID or no UUID at all), so nothing is ever explained.
 */

const RUNS = 40;
const SEED = 20261218;
const UNKNOWN = "6f1e2d3c-4b5a-4978-8877-665544332211";

test.describe("the out-of-band routes under bad input", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("refuse named bad input with the right problem", async ({ request, stack }) => {
    const origin = new URL(stack.portal.url).origin;
    const explain = (id: string, data: string | Buffer, type = "application/json") =>
      request.post(`/api/out-of-band/${id}/explain`, {
        headers: { origin, "content-type": type },
        data,
      });
    const cases: [string, Promise<APIResponse>, number][] = [
      ["no reason", explain(UNKNOWN, "{}"), 422],
      ["a reason too short", explain(UNKNOWN, '{"reason":"because"}'), 422],
      ["a reason of spaces", explain(UNKNOWN, `{"reason":"${" ".repeat(20)}"}`), 422],
      ["a reason too long", explain(UNKNOWN, JSON.stringify({ reason: "x".repeat(2001) })), 422],
      ["a reason not a string", explain(UNKNOWN, '{"reason":12345678901}'), 422],
      ["an unknown member", explain(UNKNOWN, '{"reason":"A good reason here","x":1}'), 422],
      // As bytes: Playwright would JSON-encode a string that does not parse as JSON.
      ["not JSON", explain(UNKNOWN, Buffer.from("{reason")), 400],
      ["not a JSON body", explain(UNKNOWN, "reason=hello", "text/plain"), 415],
      ["an id that is no UUID", explain("not-a-uuid", '{"reason":"A good reason here"}'), 422],
      ["a change that does not exist", explain(UNKNOWN, '{"reason":"A good reason here"}'), 404],
      ["an unknown state", request.get("/api/out-of-band?state=closed"), 422],
      ["a bad HSM name", request.get("/api/out-of-band?hsm=-bad--name-"), 422],
      ["an unknown query member", request.get("/api/out-of-band?key=orders"), 422],
    ];
    for (const [what, pending, status] of cases) {
      const response = await pending;
      expect.soft(response.status(), what).toBe(status);
      await expectClearAnswer(response, what);
    }
  });

  test("never answer generated input with a 5xx, and explain every refusal", async ({
    request,
    stack,
  }) => {
    test.setTimeout(120_000);
    const origin = new URL(stack.portal.url).origin;
    const id = fc.oneof(
      fc.uuid().filter((u) => u !== UNKNOWN),
      fc.string({ maxLength: 140 }).map(encodeURIComponent),
    );
    const body = fc.oneof(
      fc.anything(),
      fc.record({ reason: fc.oneof(fc.string({ maxLength: 2100 }), fc.anything()) }),
    );
    await fc.assert(
      fc.asyncProperty(id, body, async (changeId, data) => {
        const response = await request.post(`/api/out-of-band/${changeId}/explain`, {
          headers: { origin, "content-type": "application/json" },
          data: JSON.stringify(data) ?? "null",
        });
        await expectClearAnswer(response, `POST ${changeId} ${shown(data)}`);
        expect(response.status(), shown(data)).not.toBe(200);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    const query = fc.dictionary(
      fc.constantFrom("hsm", "state", "x"),
      fc.oneof(fc.string({ maxLength: 140 }), fc.constantFrom("open", "explained", "keyward-weu")),
    );
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        const url = `/api/out-of-band?${new URLSearchParams(params).toString()}`;
        await expectClearAnswer(await request.get(url), url);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
