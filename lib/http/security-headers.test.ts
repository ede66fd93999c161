import { describe, expect, it } from "vitest";

import {
  contentSecurityPolicy,
  nonce,
  standalonePageSecurityPolicy,
} from "@/lib/http/security-headers";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("contentSecurityPolicy", () => {
  it("allows scripts only with the request's nonce and forbids framing", () => {
    const csp = directives(
      contentSecurityPolicy({ nonce: "abc", development: false, https: false }),
    );
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'nonce-abc'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
    for (const values of csp.values()) expect(values).not.toContain("'unsafe-eval'");
  });

  it("adds eval only for the development server, and upgrades requests over https", () => {
    const dev = directives(contentSecurityPolicy({ nonce: "n", development: true, https: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.has("upgrade-insecure-requests")).toBe(true);
  });
});

describe("nonce", () => {
  it("is fresh, base64 and at least 128 bits", () => {
    const values = new Set(Array.from({ length: 50 }, nonce));
    expect(values.size).toBe(50);
    for (const value of values)
      expect(Buffer.from(value, "base64").length).toBeGreaterThanOrEqual(16);
  });
});

describe("standalonePageSecurityPolicy", () => {
  it("allows no script, styles only by nonce, and no framing", () => {
    const csp = directives(standalonePageSecurityPolicy("abc"));
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("style-src")).toEqual(["'nonce-abc'"]);
    expect(csp.has("script-src")).toBe(false);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'none'"]);
  });
});
