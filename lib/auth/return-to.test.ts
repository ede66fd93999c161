import { describe, expect, it } from "vitest";

import { safeReturnTo } from "@/lib/auth/return-to";

describe("safeReturnTo", () => {
  it.each([
    ["/status", "/status"],
    ["/keys?hsm=weu&sort=name#top", "/keys?hsm=weu&sort=name#top"],
    ["/account/", "/account/"],
  ])("keeps the portal path %s", (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    ["nothing", undefined],
    ["an empty string", ""],
    ["an absolute URL", "https://evil.example/steal"],
    ["a protocol-relative URL", "//evil.example/x"],
    ["a backslash trick", "/\\evil.example"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "status"],
    ["a control character", "/status\n/x"],
    ["the sign-in route itself", "/api/auth/sign-in?returnTo=/x"],
    ["the callback", "/api/auth/callback?code=x"],
    ["the sign-in page", "/sign-in"],
    ["an overlong path", `/${"a".repeat(3000)}`],
  ])("sends %s home", (_name, input) => {
    expect(safeReturnTo(input)).toBe("/");
  });
});
