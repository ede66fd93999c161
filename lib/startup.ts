import "server-only";

import { describeDatabase, getDb } from "@/lib/db/client";
import { ConfigError, getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log/logger";
import { KEYWARD_VERSION } from "@/lib/version";

/**
 * Start-up of a portal process: validate the configuration (a bad one stops the process with
 * one message naming every wrong setting), then migrate the database before the first request.
 */
export async function startPortal(): Promise<void> {
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`\n${error.message}\n\n`);
    process.exit(1);
  }
  const log = getLogger();
  try {
    await getDb();
  } catch (error) {
    log.fatal({ err: error }, `cannot open the database ${describeDatabase(env.database)}`);
    process.exit(1);
  }
  log.info(
    { version: KEYWARD_VERSION, mode: env.mode, database: describeDatabase(env.database) },
    "portal started",
  );
}
