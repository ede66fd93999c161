import { appendAuditEvent } from "@/lib/audit/record";
import type { AuditActor } from "@/lib/audit/types";
import { runBackup } from "@/lib/backup/runner";
import { scheduleUpsertItem } from "@/lib/backup/schedule-items";
import { getSchedule, storeSchedule } from "@/lib/backup/schedules";
import { portalBackupDeps } from "@/lib/backup/service";
import type { Db } from "@/lib/db/client";
import { LOCAL_BACKUP_CONTAINER } from "@/lib/env-variables-backup";
import { azuriteContainer } from "@/lib/storage/append-only-container";

/*
 * The demo's backups: one real backup of each HSM into the local Azurite container (through the
 * portal's runner, so it has its folder and catalogue), and a nightly schedule, written as an
 * approved request would write it and audited. An HSM that has its schedule is left alone.
 */

export const DEMO_SCHEDULE = "nightly";
/** The schedule row names the request that set it; the seed's is no request of the portal's. */
const SEED_REQUEST = "seed";

export async function seedBackups(
  db: Db,
  hsms: readonly string[],
  blobEndpoint: string,
  actor: AuditActor,
): Promise<string[]> {
  const container = `${blobEndpoint}/${LOCAL_BACKUP_CONTAINER}`;
  await azuriteContainer(blobEndpoint, LOCAL_BACKUP_CONTAINER).ensureExists();
  const deps = portalBackupDeps(db);
  const results: string[] = [];
  for (const hsm of hsms) {
    if (await getSchedule(db, hsm, DEMO_SCHEDULE)) continue;
    const run = await runBackup(deps, { hsm, trigger: "manual", actor });
    const item = scheduleUpsertItem.parse({
      name: DEMO_SCHEDULE,
      cron: "0 2 * * *",
      timeZone: "Europe/Berlin",
      container,
      auth: "sas",
      retention: { keepLast: 14 },
    });
    await db.transaction().execute(async (trx) => {
      const at = Date.now();
      await storeSchedule(trx, hsm, item, SEED_REQUEST, at);
      await appendAuditEvent(trx, {
        at,
        actor,
        action: "backup-schedule.upsert",
        target: { hsm, schedule: item.name },
        outcome: "succeeded",
        detail: { seeded: true, cron: item.cron, timeZone: item.timeZone, container },
        requestId: null,
      });
    });
    results.push(`${hsm}: a backup (${run.state}) and the ${DEMO_SCHEDULE} schedule`);
  }
  return results;
}
