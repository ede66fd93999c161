import path from "node:path";

/** Where each lane of `npm test` writes its machine-readable report, for the summary at the end. */
export const TEST_REPORTS_DIR = path.resolve(import.meta.dirname, "..", "..", "test-reports");
export const UNIT_REPORT = path.join(TEST_REPORTS_DIR, "unit.json");
export const E2E_REPORT = path.join(TEST_REPORTS_DIR, "e2e.json");
