import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";

import { REDACTED, redactSecrets, redactString } from "@/lib/log/redact";

const JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJvaWQiOiIxIiwidGlkIjoiMiJ9.c2lnbmF0dXJlLWJ5dGVz";

describe("redactSecrets", () => {
  it.each([
    [
      "an authorization header",
      { headers: { authorization: "Bearer abc" } },
      { headers: { authorization: REDACTED } },
    ],
    [
      "cookies in any spelling",
      { Cookie: "s=1", "set-cookie": ["a=b"] },
      { Cookie: REDACTED, "set-cookie": REDACTED },
    ],
    [
      "token fields",
      { access_token: "x", refreshToken: "y", id_token: "z" },
      { access_token: REDACTED, refreshToken: REDACTED, id_token: REDACTED },
    ],
    [
      "client secrets and passwords",
      { clientSecret: "s", password: "p" },
      { clientSecret: REDACTED, password: REDACTED },
    ],
    [
      "private members of a JWK",
      { jwk: { kty: "RSA", n: "pub", e: "AQAB", d: "priv", p: "p", q: "q" } },
      { jwk: { kty: "RSA", n: "pub", e: "AQAB", d: REDACTED, p: REDACTED, q: REDACTED } },
    ],
    ["a symmetric JWK", { kty: "oct", k: "secret-bytes" }, { kty: "oct", k: REDACTED }],
    ["secrets nested in arrays", { list: [{ token: "t" }] }, { list: [{ token: REDACTED }] }],
  ])("replaces %s", (_name, input, expected) => {
    expect(redactSecrets(input)).toEqual(expected);
  });

  it.each([
    ["short keys outside a JWK", { d: 4, p: "page" }],
    ["ordinary fields", { name: "rsa-key", code: "validation_failed", status: 422 }],
    ["empty secret fields", { password: null, token: undefined }],
  ])("keeps %s", (_name, input) => {
    expect(redactSecrets(input)).toEqual(input);
  });

  it.each([
    ["a JWT anywhere in a string", `token was ${JWT} here`, "token was [redacted jwt] here"],
    [
      "a bearer credential",
      "Authorization: Bearer abc.def-ghi",
      "Authorization: Bearer [redacted]",
    ],
    [
      "a SAS signature",
      "https://a.blob/c?sv=1&sig=abc%2Bdef&se=2",
      "https://a.blob/c?sv=1&sig=[redacted]&se=2",
    ],
    [
      "an authorization code in a URL",
      "/auth/callback?code=xyz&state=1",
      "/auth/callback?code=[redacted]&state=1",
    ],
    [
      "a storage account key",
      "AccountName=a;AccountKey=abc==;",
      "AccountName=a;AccountKey=[redacted];",
    ],
  ])("scrubs %s", (_name, input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it("scrubs error messages and stacks", () => {
    const error = new Error(`upstream rejected ${JWT}`);
    const result = redactSecrets({ err: error }) as { err: { message: string; stack: string } };
    expect(result.err.message).toBe("upstream rejected [redacted jwt]");
    expect(result.err.stack).not.toContain(JWT);
  });

  it("does not mutate its input", () => {
    const input = { token: "t" };
    redactSecrets(input);
    expect(input.token).toBe("t");
  });
});

describe("createLogger", () => {
  it("writes no secret, whatever the caller passes", async () => {
    const { createLogger } = await import("@/lib/log/logger");
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger("test", "info", sink);
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${JWT}`, cookie: "__Host-kw=abc" } },
        key: { kty: "EC", d: "x" },
      },
      `signed in with ${JWT}`,
    );
    logger.error({ err: new Error(`failed: client_secret=hunter2&x=1`) }, "boom");
    const output = lines.join("");
    for (const secret of [JWT, "__Host-kw=abc", "hunter2", '"d":"x"'])
      expect(output).not.toContain(secret);
    expect(output).toContain("[redacted jwt]");
  });
});
