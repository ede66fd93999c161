import { describe, expect, it } from "vitest";

import { isAppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/parse-input";

/*
 * A body that cannot be read as JSON is refused like any other invalid body: 400 with a field
 * error whose pointer (`#`) names the whole body, so that a form can show it and the bad-input
 * suite (e2e/api/fuzz-openapi.api.spec.ts) can hold every 400 and 422 to the same shape.
 */

const post = (body: string) =>
  new Request("http://localhost/api/things", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

async function refusal(request: Request) {
  try {
    await readJsonBody(request, 1024);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("the body was accepted");
}

describe("readJsonBody", () => {
  it.each([
    ["malformed JSON", '{"name":', /not valid JSON/],
    ["an empty body", "  ", /needs a JSON body/],
  ])("refuses %s with a field error on the whole body", async (_name, body, detail) => {
    const error = await refusal(post(body));
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual([
      { in: "body", pointer: "#", detail: expect.stringMatching(detail) as unknown },
    ]);
  });

  it("reads a JSON body", async () => {
    await expect(readJsonBody(post('{"name":"abc"}'), 1024)).resolves.toEqual({ name: "abc" });
  });
});
