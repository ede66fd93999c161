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
