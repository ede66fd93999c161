import { describe, expect, it } from "vitest";

import { KEEP_ALIVE_DEFAULT_MS, withKeepAliveDefault } from "./standalone";

const NEXT_TEMPLATE = [
  "const currentPort = parseInt(process.env.PORT, 10) || 3000",
  "let keepAliveTimeout = parseInt(process.env.KEEP_ALIVE_TIMEOUT, 10)",
  "startServer({ keepAliveTimeout })",
].join("\n");

describe("the standalone server's keep-alive default", () => {
  it("reads KEEP_ALIVE_TIMEOUT as before, with the portal's default when it is unset", () => {
    const patched = withKeepAliveDefault(NEXT_TEMPLATE);
    expect(patched).toContain(
      `let keepAliveTimeout = parseInt(process.env.KEEP_ALIVE_TIMEOUT || "${KEEP_ALIVE_DEFAULT_MS}", 10)`,
    );
    expect(patched.split("\n")).toHaveLength(3);
    // A second build step over the same file changes nothing.
    expect(withKeepAliveDefault(patched)).toBe(patched);
  });

  it("refuses a template that no longer reads the setting, rather than ship without it", () => {
    expect(() => withKeepAliveDefault("startServer({ keepAliveTimeout: undefined })")).toThrow(
      /no longer reads KEEP_ALIVE_TIMEOUT/,
    );
  });
});
