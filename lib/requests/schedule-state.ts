import "server-only";

import { getSchedule, stateOf } from "@/lib/backup/schedules";
import type { Db } from "@/lib/db/client";
import type { TargetState } from "@/lib/requests/target-state";

/* The target of a backup-schedule request: the portal's schedule row, never the HSM. */
export async function scheduleTargetState(
  db: Db,
  hsm: string,
  item: { name: string },
): Promise<TargetState> {
  return { schedule: stateOf(await getSchedule(db, hsm, item.name)) };
}
