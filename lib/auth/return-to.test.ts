import { describe, expect, it } from "vitest";

import { safeReturnTo } from "@/lib/auth/return-to";

describe("safeReturnTo", () => {
  it.each([
    ["/status", "/status"],
    ["/keys?hsm=weu&sort=name#top", "/keys?hsm=weu&sort=name#top"],
    ["/account/", "/account/"],
    // Normalising is fine as long as the result stays a path on this portal.
    ["/keys/../status", "/status"],
    ["/./status", "/status"],
    ["/%2e/status", "/status"],
    ["/keys/%2E%2E/status", "/status"],
    ["/keys?q=//evil.example", "/keys?q=//evil.example"],
    ["/keys#//evil.example", "/keys#//evil.example"],
    ["/keys/payments%20signing", "/keys/payments%20signing"],
    ["/keys/clé", "/keys/cl%C3%A9"],
    ["/%09/status", "/%09/status"],
  ])("keeps the portal path %s as %s", (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    ["nothing", undefined],
    ["null", null],
    ["an empty string", ""],
    ["an absolute URL", "https://evil.example/steal"],
    ["an absolute URL to this origin's lookalike", "http://portal.invalid.evil.example/"],
    ["a protocol-relative URL", "//evil.example/x"],
    ["three slashes", "///evil.example/x"],
    ["a protocol-relative URL with an invalid host", "//%2fevil.example"],
    ["a backslash trick", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "status"],
    ["a control character", "/status\n/x"],
    ["the sign-in route itself", "/api/auth/sign-in?returnTo=/x"],
    ["the callback", "/api/auth/callback?code=x"],
    ["the sign-in page", "/sign-in"],
    ["the signed-out page", "/signed-out"],
    ["an overlong path", `/${"a".repeat(3000)}`],
  ])("sends %s home", (_name, input) => {
    expect(safeReturnTo(input)).toBe("/");
  });

  // Each of these passes a check of the raw text for "//" and "\\" but normalises to a path
  // that starts with "//": a browser sent there leaves the portal for evil.example.
  it.each([
    ["a single-dot segment", "/.//evil.example"],
    ["a double-dot segment", "/..//evil.example"],
    ["a double-dot segment after a segment", "/x/..//evil.example"],
    ["two double-dot segments", "/x/y/../..//evil.example"],
    ["double-dot segments past the root", "/../../..//evil.example"],
    ["an encoded dot", "/%2e//evil.example"],
    ["an encoded upper-case dot", "/%2E//evil.example"],
    ["two encoded dots", "/%2e%2e//evil.example"],
    ["two encoded upper-case dots", "/%2E%2E//evil.example"],
    ["a mixed encoded double dot", "/.%2e//evil.example"],
    ["an encoded double dot after a segment", "/x/%2E%2E//evil.example"],
    ["a dot segment with a query", "/.//evil.example?x=1"],
    ["a dot segment with a fragment", "/.//evil.example#top"],
    ["a dot segment and a backslash", "/./\\evil.example"],
    ["a dot segment, slash and backslash", "/.//\\evil.example"],
    ["a tab inside the slashes", "/\t/evil.example"],
    ["a tab after a dot segment", "/.\t//evil.example"],
    ["a newline after a dot segment", "/.\n//evil.example"],
    ["a dot segment and a credential", "/.//user:pass@evil.example"],
    ["a dot segment and a port", "/.//evil.example:443/x"],
  ])("sends %s (%s) home", (_name, input) => {
    expect(safeReturnTo(input)).toBe("/");
  });

  // No portal path contains an encoded slash or backslash, and a proxy in front of the portal
  // that decodes them would turn such a path into "//host".
  it.each([
    ["an encoded slash", "/%2f/evil.example"],
    ["an encoded upper-case slash", "/%2F/evil.example"],
    ["an encoded backslash", "/%5c/evil.example"],
    ["an encoded upper-case backslash", "/%5C/evil.example"],
    ["an encoded slash after a dot segment", "/./%2f/evil.example"],
    ["an encoded backslash after a segment", "/keys/%5cevil.example"],
  ])("sends %s (%s) home", (_name, input) => {
    expect(safeReturnTo(input)).toBe("/");
  });

  it("never returns anything a browser would resolve off the portal's origin", () => {
    const inputs = ["/", "/.", "/..", "//", "/./", "/../", "/%2e", "/%2e%2e", "/x/..", "/x/../"];
    const fragments = ["", "/", "//", "/\\", "\\", "%2f", "%5c", "\t", ".", ".."];
    for (const start of inputs)
      for (const middle of fragments)
        for (const end of ["evil.example", "/evil.example", "@evil.example"]) {
          const result = safeReturnTo(`${start}${middle}${end}`);
          const followed = new URL(result, "https://keyward.example");
          expect(followed.origin, `${start}${middle}${end} → ${result}`).toBe(
            "https://keyward.example",
          );
          expect(result, `${start}${middle}${end}`).toMatch(/^\/(?![/\\])/);
        }
  });
});
