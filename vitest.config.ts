import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/*
 * Suites whose tests prove a property under concurrency or faults (exactly once, one lease
 * holder, an unforked audit chain, a shared read): an intermittent failure there is the very bug
 * they look for, so they get no second try. The rest of the portal's tests get one, as the
 * browser tests do (playwright.config.ts): failing twice fails the run, and a test that passed
 * only on its retry is named in the summary at the end of npm test.
 */
export const CONCURRENCY_SUITES = [
  "bench/lib/report.test.ts",
  "lib/access-reviews/service.test.ts",
  "lib/access/actions.test.ts",
  "lib/audit/anchoring.test.ts",
  "lib/audit/service.test.ts",
  "lib/auth/credential-kinds.test.ts",
  "lib/auth/sign-in.test.ts",
  "lib/backup/freshness-alerts.test.ts",
  "lib/backup/scheduler-processes.test.ts",
  "lib/backup/scheduler.test.ts",
  "lib/backup/service.test.ts",
  "lib/calendar/load.test.ts",
  "lib/calendar/reminders.test.ts",
  "lib/db/client.test.ts",
  "lib/db/lease.test.ts",
  "lib/db/sqlite-pool-driver.test.ts",
  "lib/env.test.ts",
  "lib/health/shared-result.test.ts",
  "lib/hsm/handle.test.ts",
  "lib/hsm/key-writes.test.ts",
  "lib/notify/deliver.test.ts",
  "lib/requests/exactly-once.test.ts",
  "lib/requests/execution.test.ts",
  "lib/telemetry/telemetry.test.ts",
  "lib/templates/templates.test.ts",
];

const portalTest = {
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
} as const;

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
    // The local servers under packages/ test themselves with their own configuration.
    projects: [
      "packages/*",
      {
        extends: true,
        test: {
          ...portalTest,
          name: "portal",
          include: ["{lib,scripts,app,components,bench}/**/*.test.ts"],
          // The fault suite runs once, in its own project below; the concurrency suites too.
          exclude: [...configDefaults.exclude, "**/*.faults.test.ts", ...CONCURRENCY_SUITES],
          retry: 1,
        },
      },
      {
        extends: true,
        test: { ...portalTest, name: "concurrency", include: CONCURRENCY_SUITES, retry: 0 },
      },
      {
        extends: true,
        test: {
          // The real stack under injected trouble (npm run test:faults): see *.faults.test.ts.
          ...portalTest,
          name: "faults",
          include: ["{lib,scripts}/**/*.faults.test.ts"],
          env: {
            ...portalTest.env,
            KEYWARD_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "keyward-vitest-faults-")),
          },
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
