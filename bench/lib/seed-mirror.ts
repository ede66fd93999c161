import { setTimeout as sleep } from "node:timers/promises";

import type { Db } from "@/lib/db/client";

/*
 * Keys written straight into the inventory mirror, as a sync would leave them, for benchmarks
 * that need thousands of keys without creating them in an HSM first: half RSA-3072, half EC
 * P-256, created over the last 400 days, four in five with a rotation policy, tags env=prod or
 * test. Names are `${prefix}0`, `${prefix}1`, ….
 */

const DAY = 86_400_000;

export async function seedMirrorKeys(
  db: Db,
  hsm: string,
  count: number,
  now: number,
  prefix = "bench-key-",
): Promise<void> {
  for (let batch = 0; batch < count; batch += 500)
    await db
      .insertInto("inventory_key")
      .values(
        Array.from({ length: Math.min(500, count - batch) }, (_, i) => {
          const n = batch + i;
          const created = now - (n % 400) * DAY;
          return {
            hsm,
            name_lower: `${prefix}${n}`,
            name: `${prefix}${n}`,
            version: `v${n}`,
            kty: n % 2 ? "RSA-HSM" : "EC-HSM",
            family: n % 2 ? ("RSA" as const) : ("EC" as const),
            key_size: n % 2 ? 3072 : null,
            curve: n % 2 ? null : "P-256",
            key_ops: JSON.stringify(["sign", "verify"]),
            enabled: 1 as const,
            exportable: 0 as const,
            managed: 0 as const,
            not_before: null,
            expires_at: created + 365 * DAY,
            created_at: created,
            updated_at: created,
            recovery_level: "Recoverable",
            tags: JSON.stringify({ env: n % 3 ? "prod" : "test" }),
            owner: null,
            version_count: 1 + (n % 4),
            policy:
              n % 5 === 0
                ? null
                : JSON.stringify({
                    lifetimeActions: [
                      { action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: null },
                    ],
                    expiresIn: "P1Y",
                    createdOn: null,
                    updatedOn: null,
                  }),
            policy_state: n % 5 === 0 ? ("none" as const) : ("rotates" as const),
            next_rotation_at: null,
            deleted_at: null,
            scheduled_purge_at: null,
            recovery_id: null,
            detail_synced_at: now,
            attributes_read_at: now,
            search: `${prefix}${n}`,
          };
        }),
      )
      .execute();
}

/*
 * The launcher's seed syncs each HSM (trigger "manual"), then the portal syncs each at start-up
 * (trigger "schedule"). That second sync removes from the mirror what the HSM does not hold, so
 * the mirror's extra keys are written only after it has finished.
 */
export async function waitForStartUpSync(db: Db, hsms: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const runs = await db
      .selectFrom("sync_run")
      .select(["hsm", "trigger", "status"])
      .execute()
      .catch(() => []);
    const done = new Set(
      runs
        .filter((run) => run.trigger === "schedule" && run.status !== "running")
        .map((run) => run.hsm),
    );
    if (done.size >= hsms && runs.every((run) => run.status !== "running")) return;
    await sleep(500);
  }
  throw new Error("the portal's start-up sync did not finish within 2 minutes");
}
