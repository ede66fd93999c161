import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { ENV_VARIABLES } from "@/lib/env-variables";

const readme = fs.readFileSync(path.join(import.meta.dirname, "..", "README.md"), "utf8");
const documented = new Set(
  [...readme.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((match) => match[1] ?? ""),
);

describe("the README's configuration reference", () => {
  it.each(ENV_VARIABLES.map((spec) => spec.name))("documents %s", (name) => {
    expect(documented.has(name)).toBe(true);
  });

  it("documents no variable the code does not read", () => {
    const declared = new Set<string>(ENV_VARIABLES.map((spec) => spec.name));
    expect([...documented].filter((name) => !declared.has(name))).toEqual([]);
  });

  it("gives every variable a description and an example", () => {
    for (const spec of ENV_VARIABLES) {
      expect(spec.description.length, spec.name).toBeGreaterThan(10);
      expect(spec.example.length, spec.name).toBeGreaterThan(0);
    }
  });
});
