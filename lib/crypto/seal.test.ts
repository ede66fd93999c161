import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

import { decodeKeys, seal, unseal } from "@/lib/crypto/seal";

const key = () => randomBytes(32);

describe("seal", () => {
  it("round-trips and never shows the plaintext", () => {
    const keys = [key()];
    const sealed = seal("refresh-token-value", keys, "session-token-cache");
    expect(sealed).not.toContain("refresh-token-value");
    expect(unseal(sealed, keys, "session-token-cache")).toBe("refresh-token-value");
    expect(seal("same", keys, "session-token-cache")).not.toBe(
      seal("same", keys, "session-token-cache"),
    );
  });

  it("opens data sealed with an older key after rotation", () => {
    const [older, newer] = [key(), key()];
    const sealed = seal("x", [older], "sign-in-transaction");
    expect(unseal(sealed, [newer, older], "sign-in-transaction")).toBe("x");
  });

  it.each([
    ["another purpose", (s: string) => s, "sign-in-transaction" as const, undefined],
    [
      "a flipped bit",
      (s: string) => s.slice(0, -2) + (s.at(-2) === "A" ? "B" : "A") + s.slice(-1),
      "session-token-cache" as const,
      undefined,
    ],
    ["a truncated value", (s: string) => s.slice(0, 20), "session-token-cache" as const, undefined],
    ["garbage", () => "not-sealed", "session-token-cache" as const, undefined],
    ["an unknown key", (s: string) => s, "session-token-cache" as const, [key()]],
  ])("refuses %s", (_name, change, purpose, otherKeys) => {
    const keys = [key()];
    const sealed = change(seal("secret", keys, "session-token-cache"));
    expect(unseal(sealed, otherKeys ?? keys, purpose)).toBeNull();
  });

  it("insists on 32-byte keys", () => {
    expect(() => decodeKeys([Buffer.alloc(16).toString("base64")])).toThrow("32 bytes");
    expect(() => decodeKeys([])).toThrow();
  });
});
