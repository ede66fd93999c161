import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // Outside Next's react-server build, "server-only" throws on import; tests run server code.
    alias: {
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    // The JSON report feeds the summary at the end of npm test (scripts/test.ts).
    // (The path is scripts/lib/test-lanes.ts's: Vite loads this file without following an import
    // without an extension, so it is repeated, and a test keeps the two equal.)
    reporters: ["default", ["json", { outputFile: "test-reports/unit.json" }]],
    // A second try, as Playwright's (playwright.config.ts): a test that fails twice fails the run,
    // and one that passes only on its retry is named in that summary, not hidden.
    retry: 1,
    // The local servers under packages/ test themselves with their own configuration.
    projects: [
      "packages/*",
      {
        extends: true,
        test: {
          name: "portal",
          include: ["{lib,scripts,app,components,bench}/**/*.test.ts"],
          // The fault suite runs once, in its own project below.
          exclude: [...configDefaults.exclude, "**/*.faults.test.ts"],
          environment: "node",
          pool: "forks",
          // Tests never touch the repository's own .keyward directory.
          env: {
            LOG_LEVEL: "silent",
            NEXT_TELEMETRY_DISABLED: "1",
            KEYWARD_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "keyward-vitest-")),
          },
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          // The real stack under injected trouble (npm run test:faults): see *.faults.test.ts.
          name: "faults",
          include: ["{lib,scripts}/**/*.faults.test.ts"],
          environment: "node",
          pool: "forks",
          env: {
            LOG_LEVEL: "silent",
            NEXT_TELEMETRY_DISABLED: "1",
            KEYWARD_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "keyward-vitest-faults-")),
          },
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
