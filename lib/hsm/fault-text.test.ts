import { describe, expect, it } from "vitest";

import { hsmFaultText } from "@/lib/hsm/fault-text";

describe("hsmFaultText", () => {
  it.each([
    ["a plain message", "Key not found: payments-signing", "Key not found: payments-signing"],
    ["its final full stop", "Operation is not allowed.", "Operation is not allowed"],
    ["only the first line", "Bad request\nStatus: 400\nActivity id: 1f2e", "Bad request"],
    ["no control characters", "Key \u0007not\u001b[31m found\u202e", "Key not[31m found"],
    ["nothing of a JSON body", '{"error":{"code":"Forbidden","message":"…"}}', undefined],
    ["nothing of an HTML page", "<html><body>502 Bad Gateway</body></html>", undefined],
    ["nothing of an array", '["x"]', undefined],
    ["nothing when empty", "  \n ", undefined],
    ["nothing when absent", undefined, undefined],
  ])("keeps %s", (_name, raw, shown) => {
    expect(hsmFaultText(raw)).toBe(shown);
  });

  it("cuts a long message to 200 characters", () => {
    const shown = hsmFaultText(`Invalid ${"x".repeat(5_000)}`)!;
    expect(shown).toHaveLength(200);
    expect(shown.endsWith("…")).toBe(true);
  });
});
