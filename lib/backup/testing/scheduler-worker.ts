// A portal's backup scheduler in a process of its own, for the tests that race two or kill one.
import { mirrorRefresher } from "@/lib/backup/deps";
import { backupSchedulerTick } from "@/lib/backup/scheduler";
import { createDb } from "@/lib/db/client";
import type { DatabaseConfig } from "@/lib/env";
import { createHsmHandle } from "@/lib/hsm/handle";
import { backupContainer } from "@/lib/storage/backup-container";
import { localAppCredential } from "@/scripts/lib/local-credential";

export interface SchedulerWorkerConfig {
  database: DatabaseConfig;
  hsm: { name: string; url: string };
  caPem: string;
  issuer: string;
  appId: string;
  secret: string;
  /** The storage account's key, with which the portal mints each run's SAS. */
  storage: { accountName: string; accountKey: string };
  /** The scheduler's clock: a time at which a schedule's run is due. */
  now: number;
}

export interface SchedulerWorkerResult {
  acquired: boolean;
  started: string[];
  ended: { id: string; state: string }[];
}

// The configuration arrives on stdin: it holds a client secret, which argv would show to anyone.
let input = "";
for await (const chunk of process.stdin) input += String(chunk);
const config = JSON.parse(input) as SchedulerWorkerConfig;
const db = createDb(config.database);
const handle = createHsmHandle(
  { name: config.hsm.name, region: "Test", url: config.hsm.url, caPem: config.caPem },
  localAppCredential(config),
);
const outcome = await backupSchedulerTick({
  db,
  backupDepsOf: (schedule) => ({
    db,
    handleOf: () => handle,
    targetOf: () => ({
      container: backupContainer(schedule.container, { kind: "account-key", ...config.storage }),
      auth: schedule.auth,
    }),
    refreshMirror: mirrorRefresher(db, { concurrency: 8 }),
  }),
  now: () => config.now,
});
const ends = outcome ? await outcome.settled : [];
const result: SchedulerWorkerResult = {
  acquired: outcome !== null,
  started: outcome?.started.map((run) => run.id) ?? [],
  ended: ends.map((end) => ({ id: end.run.id, state: end.run.state })),
};
process.stdout.write(JSON.stringify(result));
await db.destroy();
