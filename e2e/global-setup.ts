import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { loadEnv, shareWithTestWorkers } from "@/lib/env";
import { waitForFirstSync } from "@/e2e/fixtures/database";
import { E2E_READY_TOKEN } from "@/e2e/fixtures/readiness";
import { startStack } from "@/scripts/lib/stack";

const ROOT = path.resolve(import.meta.dirname, "..");
const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** End-to-end tests create and change data: refuse anything but a local database. */
function assertLocalDatabase() {
  const { database } = loadEnv();
  if (database.kind === "postgres" && !LOOPBACK.has(new URL(database.url).hostname))
    throw new Error(
      `Refusing to run end-to-end tests against ${new URL(database.url).host}: use a local database.`,
    );
}

/** Starts the whole local stack on free ports in a throwaway data directory. */
export default async function globalSetup() {
  assertLocalDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-e2e-"));
  const logDir = path.join(dataDir, "logs");
  const stack = await startStack({
    root: ROOT,
    portal: "start",
    ports: "free",
    dataDir,
    emulatorTestMode: true,
    environment: {
      KEYWARD_READY_TOKEN: E2E_READY_TOKEN,
      // Every spec shares one stored sign-in per account and the bad-input specs send hundreds
      // of changes a minute; the limit itself is tested in lib/http/with-route-audit.test.ts.
      KEYWARD_SESSION_CHANGES_PER_MINUTE: "100000",
    },
    output: { kind: "files", dir: logDir },
    onUnexpectedExit: (service, code) =>
      process.stderr.write(
        `\n[e2e] ${service} exited unexpectedly (code ${code}); see ${logDir}\n`,
      ),
  });
  try {
    await waitForFirstSync(stack.localJson, 90_000);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  shareWithTestWorkers("KEYWARD_E2E_DATA_DIR", dataDir);
  process.stdout.write(`[e2e] local stack at ${stack.localJson.portal.url} (logs in ${logDir})\n`);

  return async () => {
    await stack.stop();
    const kept = path.join(ROOT, "test-results", "stack-logs");
    fs.mkdirSync(kept, { recursive: true });
    fs.cpSync(logDir, kept, { recursive: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
