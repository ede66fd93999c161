import { describe, expect, it } from "vitest";

import { reauthenticationHref } from "@/lib/auth/reauth-href";

describe("reauthenticationHref", () => {
  it.each([
    ["the default sign-in", undefined, "/api/auth/sign-in?reauth=1&returnTo=%2Frequests%2Fabc"],
    [
      "a problem's signInUrl",
      "/api/auth/sign-in?reauth=1",
      "/api/auth/sign-in?reauth=1&returnTo=%2Frequests%2Fabc",
    ],
    [
      "a signInUrl that points elsewhere is not followed",
      "https://evil.example/api/auth/sign-in?reauth=1",
      "/api/auth/sign-in?reauth=1&returnTo=%2Frequests%2Fabc",
    ],
    [
      "a signInUrl for another path is not followed",
      "/somewhere?reauth=1",
      "/api/auth/sign-in?reauth=1&returnTo=%2Frequests%2Fabc",
    ],
  ])("%s", (_, signInUrl, expected) => {
    expect(reauthenticationHref("/requests/abc", signInUrl)).toBe(expected);
  });
});
