import type { APIResponse } from "@playwright/test";
import fc from "fast-check";

import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectClearAnswer, shown } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * The access-review routes under bad input: named cases with their exact answers, then generated
 * ones (fast-check, fixed seed) that are never a 5xx and always problem+json with a detail.
 * Starting and cancelling are sent by a key administrator, deciding by an approver, so input
 * reaches validation; every HSM is one the portal does not have and every review id one no review
 * has, so nothing is ever started, decided or cancelled.
 */

const RUNS = 40;
const SEED = 20261204;
const UNKNOWN = "6f1e2d3c-4b5a-4978-8877-665544332299";

test.describe("starting and cancelling under bad input", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("refuse named bad input with the right problem", async ({ request, stack }) => {
    const origin = new URL(stack.portal.url).origin;
    const post = (path: string, data: string | Buffer, type = "application/json") =>
      request.post(path, { headers: { origin, "content-type": type }, data });
    const start = (data: string | Buffer, type?: string) => post("/api/access-reviews", data, type);
    const cancel = (id: string, data: string) => post(`/api/access-reviews/${id}/cancel`, data);
    const cases: [string, Promise<APIResponse>, number][] = [
      ["no HSM", start("{}"), 422],
      ["a bad HSM name", start('{"hsm":"-bad--name-"}'), 422],
      ["an HSM the portal does not have", start('{"hsm":"nowhere-hsm"}'), 404],
      [
        "a note too long",
        start(JSON.stringify({ hsm: "nowhere-hsm", note: "x".repeat(1001) })),
        422,
      ],
      ["an unknown member", start('{"hsm":"nowhere-hsm","x":1}'), 422],
      ["not JSON", start(Buffer.from("{hsm")), 400],
      ["not a JSON body", start("hsm=keyward-weu", "text/plain"), 415],
      ["a cancel without a reason", cancel(UNKNOWN, "{}"), 422],
      ["a cancel reason too short", cancel(UNKNOWN, '{"reason":"no"}'), 422],
      ["a review id that is no UUID", cancel("not-a-uuid", '{"reason":"A good reason here"}'), 422],
      ["a review that does not exist", cancel(UNKNOWN, '{"reason":"A good reason here"}'), 404],
      ["an unknown state", request.get("/api/access-reviews?state=closed"), 422],
      ["an unknown query member", request.get("/api/access-reviews?key=orders"), 422],
      ["a review id that is no UUID", request.get("/api/access-reviews/nope"), 422],
      ["a review that does not exist", request.get(`/api/access-reviews/${UNKNOWN}`), 404],
    ];
    for (const [what, pending, status] of cases) {
      const response = await pending;
      expect.soft(response.status(), what).toBe(status);
      await expectClearAnswer(response, what);
    }
  });

  test("never answer generated input with a 5xx", async ({ request, stack }) => {
    test.setTimeout(120_000);
    const origin = new URL(stack.portal.url).origin;
    const body = fc.oneof(
      fc.anything(),
      fc.record({
        hsm: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
        note: fc.oneof(fc.string({ maxLength: 1100 }), fc.anything()),
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (data) => {
        const response = await request.post("/api/access-reviews", {
          headers: { origin, "content-type": "application/json" },
          data: JSON.stringify(data) ?? "null",
        });
        await expectClearAnswer(response, `POST ${shown(data)}`);
        expect(response.status(), shown(data)).not.toBe(201);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

test.describe("deciding under bad input", () => {
  test.use({ storageState: storageStatePath("approver") });

  test("refuses named bad input, and generated input never gets a 5xx", async ({
    request,
    stack,
  }) => {
    test.setTimeout(120_000);
    const origin = new URL(stack.portal.url).origin;
    const decide = (review: string, assignment: string, data: string) =>
      request.post(`/api/access-reviews/${review}/items/${assignment}`, {
        headers: { origin, "content-type": "application/json" },
        data,
      });
    const cases: [string, Promise<APIResponse>, number][] = [
      ["no decision", decide(UNKNOWN, UNKNOWN, "{}"), 422],
      ["an unknown decision", decide(UNKNOWN, UNKNOWN, '{"decision":"maybe"}'), 422],
      [
        "a comment too long",
        decide(UNKNOWN, UNKNOWN, JSON.stringify({ decision: "flag", comment: "x".repeat(1001) })),
        422,
      ],
      ["an assignment that is no GUID", decide(UNKNOWN, "nope", '{"decision":"confirm"}'), 422],
      ["a review that does not exist", decide(UNKNOWN, UNKNOWN, '{"decision":"confirm"}'), 404],
    ];
    for (const [what, pending, status] of cases) {
      const response = await pending;
      expect.soft(response.status(), what).toBe(status);
      await expectClearAnswer(response, what);
    }
    const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 80 }).map(encodeURIComponent));
    const body = fc.oneof(
      fc.anything(),
      fc.record({
        decision: fc.oneof(fc.constantFrom("confirm", "flag"), fc.anything()),
        comment: fc.oneof(fc.string({ maxLength: 1100 }), fc.anything()),
      }),
    );
    await fc.assert(
      fc.asyncProperty(id, id, body, async (review, assignment, data) => {
        const response = await request.post(`/api/access-reviews/${review}/items/${assignment}`, {
          headers: { origin, "content-type": "application/json" },
          data: JSON.stringify(data) ?? "null",
        });
        await expectClearAnswer(response, `POST ${review}/${assignment} ${shown(data)}`);
        expect(response.status(), shown(data)).not.toBe(200);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
