import { describe, expect, it } from "vitest";

import { newRequestId, requestLogBindings } from "@/lib/request-id";

describe("requestLogBindings", () => {
  const id = newRequestId();
  it.each([
    [
      "a proxy's well-formed id, beside the portal's",
      "frontdoor-1234abcd",
      { requestId: id, clientRequestId: "frontdoor-1234abcd" },
    ],
    ["nothing for an id that could forge a log line", "x level=fatal <b>", { requestId: id }],
    ["nothing for an id too short to be one", "abc", { requestId: id }],
    ["nothing when none was sent", null, { requestId: id }],
  ])("logs %s", (_case, sent, expected) => {
    const headers = new Headers(sent === null ? {} : { "x-request-id": sent });
    expect(requestLogBindings(id, headers)).toEqual(expected);
  });

  it("makes a new UUID for every request", () => {
    expect(newRequestId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(newRequestId()).not.toBe(newRequestId());
  });
});
