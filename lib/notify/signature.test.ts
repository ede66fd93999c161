import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";

import { signatureHeader, verifySignature } from "@/lib/notify/signature";

const SECRET = "keyward-test-secret-0123456789abcdef";
const BODY = '{"type":"keyward.request.filed","id":"e1"}';
const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const NOW = T * 1000;

/** The receiver's side, written as a receiver would: HMAC-SHA256 over "<t>.<body>", in hex. */
const expectedHex = (secret: string, t: number, body: string) =>
  createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");

describe("signatureHeader", () => {
  it("matches a vector computed with openssl", () => {
    // printf '%s' '1767225600.{"type":"keyward.request.filed","id":"e1"}' |
    //   openssl dgst -sha256 -hmac 'keyward-test-secret-0123456789abcdef' -hex
    expect(signatureHeader(SECRET, BODY, T)).toBe(
      "t=1767225600,v1=92011571ee9b0a1dbebec2b874cd15c7bb1f94977b8c96081544ee289fca537f",
    );
  });

  it.each([
    ["an ASCII body", SECRET, T, BODY],
    ["a body with non-ASCII text", SECRET, T + 1, '{"summary":"Rotate “payments” – now"}'],
    ["an empty body", "another-secret-of-thirty-two-chars!!", 0, ""],
  ])("is t=<t>,v1=<hex HMAC-SHA256 of t.body> for %s", (_name, secret, t, body) => {
    expect(signatureHeader(secret, body, t)).toBe(`t=${t},v1=${expectedHex(secret, t, body)}`);
  });

  it.each([[-1], [1.5], [Number.NaN]])("refuses the timestamp %s", (t) => {
    expect(() => signatureHeader(SECRET, BODY, t)).toThrow(RangeError);
  });
});

describe("verifySignature", () => {
  const good = signatureHeader(SECRET, BODY, T);
  it.each<[string, string, string | undefined, number, boolean | string]>([
    ["its own signature", BODY, good, NOW, true],
    ["a signature four minutes old", BODY, good, NOW + 240_000, true],
    [
      "a second v1 that matches (a secret being rotated)",
      BODY,
      `t=${T},v1=${"0".repeat(64)},v1=${good.split("v1=")[1]}`,
      NOW,
      true,
    ],
    ["a changed body", `${BODY} `, good, NOW, "no signature matches"],
    [
      "another secret's signature",
      BODY,
      signatureHeader(`${SECRET}x`, BODY, T),
      NOW,
      "no signature matches",
    ],
    [
      "a signature six minutes old (a replay)",
      BODY,
      good,
      NOW + 360_000,
      "the timestamp is outside the tolerance",
    ],
    [
      "a timestamp from the future",
      BODY,
      signatureHeader(SECRET, BODY, T + 600),
      NOW,
      "the timestamp is outside the tolerance",
    ],
    ["a moved timestamp", BODY, good.replace(`t=${T}`, `t=${T + 1}`), NOW, "no signature matches"],
    ["no header", BODY, undefined, NOW, "no signature"],
    ["no timestamp", BODY, good.replace(/^t=\d+,/, ""), NOW, "no timestamp"],
    ["a signature that is not hex", BODY, `t=${T},v1=zz`, NOW, "no signature matches"],
  ])("for %s", (_name, body, header, now, expected) => {
    const result = verifySignature(SECRET, body, header, now);
    expect(result).toEqual(expected === true ? { ok: true } : { ok: false, reason: expected });
  });
});
