import { defineConfig } from "@playwright/test";

import { readTestSettings } from "./lib/env";
import { E2E_REPORT } from "./scripts/lib/test-lanes";

const { chromiumPath } = readTestSettings();
const FUZZ = /fuzz-openapi\.api\.spec\.ts$/;

export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  retries: 1,
  // The JSON report feeds the summary at the end of npm test (scripts/test.ts).
  reporter: [["list"], ["html", { open: "never" }], ["json", { outputFile: E2E_REPORT }]],
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "chromium", dependencies: ["setup"], testIgnore: [/.*\.setup\.ts/, FUZZ] },
    // The bad-input run compares the portal's records and the HSMs with a snapshot taken before
    // it, which holds only while no other spec changes them: it runs alone, after the rest.
    // (`npm run test:fuzz` runs it with --no-deps.)
    { name: "fuzz", dependencies: ["chromium"], testMatch: FUZZ },
  ],
  use: {
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    browserName: "chromium",
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
