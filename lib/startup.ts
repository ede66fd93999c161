import "server-only";

import os from "node:os";

import { startCheckpointJob } from "@/lib/audit/checkpoint-scheduler";
import { getAuthConfig } from "@/lib/auth/config";
import { getMsal } from "@/lib/auth/msal";
import { pruneSessions } from "@/lib/auth/sessions";
import { startFreshnessAlertJob } from "@/lib/backup/freshness-job";
import { startBackupScheduler } from "@/lib/backup/scheduler-job";
import { resumeBackupRuns } from "@/lib/backup/service";
import { describeDatabase, getDb } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import { ConfigError, getEnv } from "@/lib/env";
import { startGrantExpiryJob } from "@/lib/grants/expiry-job";
import { getLogger } from "@/lib/log/logger";
import { startExecutorJob } from "@/lib/requests/executor-job";
import { beforeShutdown } from "@/lib/shutdown";
import { startSyncScheduler } from "@/lib/sync/scheduler";
import { registerPortalGauges } from "@/lib/telemetry/gauges";
import { startTelemetry } from "@/lib/telemetry/start";
import { KEYWARD_VERSION } from "@/lib/version";

const PRUNE_INTERVAL_MS = 15 * 60_000;

function stop(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

/** Deletes ended sessions; one instance does it at a time. */
async function pruneEndedSessions() {
  const log = getLogger();
  const outcome = await withLease("sessions:prune", 60_000, async () =>
    pruneSessions(await getDb(), getAuthConfig().session),
  ).catch((error: unknown) => {
    log.warn({ err: error }, "pruning ended sessions failed");
    return null;
  });
  if (outcome?.acquired && outcome.value > 0)
    log.info({ deleted: outcome.value }, "pruned ended sessions");
}

/**
 * Start-up of a portal process: validate the configuration (a bad one stops the process with
 * one message naming every wrong setting) and the sign-in settings, migrate the database before
 * the first request, and schedule housekeeping, the inventory sync and the audit checkpoints.
 */
export async function startPortal(): Promise<void> {
  let env;
  try {
    env = getEnv();
    getAuthConfig();
    // Reads the credential's files: a certificate that cannot serve stops start-up here.
    getMsal();
  } catch (error) {
    if (error instanceof ConfigError) stop(error.message);
    stop(`Keyward cannot start: the sign-in settings are unusable: ${(error as Error).message}`);
  }
  const log = getLogger();
  try {
    await getDb();
  } catch (error) {
    log.fatal({ err: error }, `cannot open the database ${describeDatabase(env.database)}`);
    process.exit(1);
  }
  const telemetry = await startTelemetry(env.telemetry, `${os.hostname()}:${process.pid}`);
  if (telemetry) {
    registerPortalGauges(
      getDb,
      env.hsms.map((hsm) => hsm.name),
    );
    beforeShutdown(() => telemetry.shutdown());
    log.info(
      { endpoint: new URL(env.telemetry.endpoint!).origin },
      "exporting traces and metrics over OTLP",
    );
  }
  await pruneEndedSessions();
  setInterval(() => void pruneEndedSessions(), PRUNE_INTERVAL_MS).unref();
  startSyncScheduler();
  startCheckpointJob();
  startExecutorJob();
  startGrantExpiryJob();
  startBackupScheduler();
  startFreshnessAlertJob();
  // Backups a stopped portal left running are followed to their end, in the background.
  void resumeBackupRuns();
  log.info(
    { version: KEYWARD_VERSION, mode: env.mode, database: describeDatabase(env.database) },
    "portal started",
  );
}
