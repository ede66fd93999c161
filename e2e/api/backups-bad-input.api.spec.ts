import fc from "fast-check";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectClearAnswer, shown } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The backup routes under generated bad input (fast-check): whatever the body, query or path,
 * the answer is never a 5xx and every refusal is problem+json with a detail. Sent by a key
 * administrator, who may start backups, so that input reaches validation; no generated body
 * names a configured HSM, so nothing is backed up.
 */

const RUNS = 40;
const CONFIGURED = new Set(["keyward-weu", "keyward-neu"]);

const namesNoHsm = (body: unknown) => !JSON.stringify(body ?? null).match(/keyward-(weu|neu)/);
const body = fc
  .oneof(
    fc.anything(),
    fc.record(
      {
        hsm: fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant(null)),
        trigger: fc.constantFrom("manual", "schedule", "safety"),
        scheduleName: fc.string(),
      },
      { requiredKeys: [] },
    ),
  )
  .filter(namesNoHsm);
const segment = fc.oneof(
  fc.uuid(),
  fc.constantFrom(...CONFIGURED),
  fc.string({ maxLength: 140 }).map(encodeURIComponent),
);
test.describe("the backup routes under generated bad input", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("never answer with a 5xx, and explain every refusal", async ({ request, stack }) => {
    test.setTimeout(120_000);
    const origin = new URL(stack.portal.url).origin;
    await fc.assert(
      fc.asyncProperty(body, async (data) => {
        const response = await request.post("/api/backups/runs", {
          headers: { origin, "content-type": "application/json" },
          data: JSON.stringify(data),
        });
        await expectClearAnswer(response, `POST ${shown(data)}`);
        expect(response.status(), shown(data)).not.toBe(202);
      }),
      { numRuns: RUNS },
    );
    const query = fc.dictionary(
      fc.constantFrom("hsm", "outcome", "limit", "key", "x"),
      fc.oneof(
        fc.string({ maxLength: 140 }),
        fc.constantFrom("running", "succeeded", "failed", "missed", "interrupted", "0", "201"),
      ),
    );
    await fc.assert(
      fc.asyncProperty(query, segment, async (params, id) => {
        const search = new URLSearchParams(params).toString();
        for (const url of [
          `/api/backups/runs?${search}`,
          `/api/backups/runs/${id}?${search}`,
          `/api/backups/runs/${id}/catalogue?${search}`,
        ])
          await expectClearAnswer(await request.get(url), url);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(segment, segment, async (hsm, name) => {
        const url = `/api/backups/keys/${hsm}/${name}`;
        await expectClearAnswer(await request.get(url), url);
      }),
      { numRuns: RUNS },
    );
  });
});
