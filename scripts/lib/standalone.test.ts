import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { completeStandalone, KEEP_ALIVE_DEFAULT_MS, withKeepAliveDefault } from "./standalone";

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

describe("completing the standalone folder", () => {
  it("adds the browser's assets and the keep-alive default, and leaves out the traced sources", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-standalone-"));
    try {
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
      };
      write(".next/standalone/server.js", NEXT_TEMPLATE);
      write(".next/standalone/lib/env.ts", "export {};");
      write(".next/standalone/lib/env.test.ts", "export {};");
      write(".next/static/chunks/app.js", "/* chunk */");
      write("public/openapi.json", "{}");

      const standalone = completeStandalone(root);

      expect(fs.existsSync(path.join(standalone, "lib")), "the traced sources").toBe(false);
      expect(fs.readFileSync(path.join(standalone, ".next/static/chunks/app.js"), "utf8")).toBe(
        "/* chunk */",
      );
      expect(fs.existsSync(path.join(standalone, "public/openapi.json"))).toBe(true);
      expect(fs.readFileSync(path.join(standalone, "server.js"), "utf8")).toContain(
        `KEEP_ALIVE_TIMEOUT || "${KEEP_ALIVE_DEFAULT_MS}"`,
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
