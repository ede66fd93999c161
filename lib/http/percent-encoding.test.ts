import { describe, expect, it } from "vitest";

import { hasMalformedPercentEncoding } from "@/lib/http/percent-encoding";

describe("hasMalformedPercentEncoding", () => {
  it.each([
    ["a plain path", "/keys/keyward-weu/payments-signing-prod-01"],
    ["the root", "/"],
    ["an encoded space", "/keys/a%20b"],
    ["encoded UTF-8", "/keys/caf%C3%A9"],
    ["lower-case hex", "/keys/caf%c3%a9"],
    ["a four-byte character", "/keys/%F0%9F%94%91"],
    ["an encoded percent sign", "/keys/100%25"],
    ["an encoded slash", "/api/me/sessions/a%2Fb"],
    ["an encoded NUL", "/api/me/sessions/%00"],
  ])("accepts %s", (_name, path) => {
    expect(hasMalformedPercentEncoding(path)).toBe(false);
  });

  it.each([
    ["a byte that is never UTF-8", "/api/me/sessions/%ff"],
    ["two of them", "/keys/%ff/%ff"],
    ["a lone continuation byte", "/keys/%80"],
    ["an overlong slash", "/keys/%C0%AF"],
    ["a cut-off sequence", "/keys/%E0%A4%A"],
    ["a cut-off sequence at the end", "/keys/%E0%A4"],
    ["an encoded surrogate", "/keys/%ED%A0%80"],
    ["a percent sign without hex", "/keys/%zz"],
    ["a lone percent sign", "/keys/%"],
    ["a percent sign with one hex digit", "/keys/%4"],
    ["a malformed escape in an early segment", "/%ff/keys"],
  ])("refuses %s", (_name, path) => {
    expect(hasMalformedPercentEncoding(path)).toBe(true);
  });
});
