import "server-only";

import { sql } from "kysely";

import type { Db } from "@/lib/db/client";
import { visible } from "@/lib/inventory/keys";
import type { Visibility } from "@/lib/inventory/visibility";

const DAY_MS = 86_400_000;

export interface HsmSummary {
  hsm: string;
  total: number;
  enabled: number;
  disabled: number;
  byFamily: Record<"RSA" | "EC" | "oct" | "unknown", number>;
  expired: number;
  expiringSoon: number;
  withoutRotation: number;
  deleted: number;
}

/** Per-HSM counts for the overview, over the keys one may see. */
export async function hsmSummaries(
  db: Db,
  visibility: Visibility,
  now: number = Date.now(),
): Promise<HsmSummary[]> {
  const soon = now + 30 * DAY_MS;
  const rows = await visible(db.selectFrom("inventory_key"), visibility)
    .select((eb) => [
      "hsm",
      "family",
      eb.fn.countAll<number>().as("total"),
      eb.fn
        .sum<number>(sql`case when deleted_at is null and enabled = 1 then 1 else 0 end`)
        .as("enabled"),
      eb.fn
        .sum<number>(sql`case when deleted_at is null and enabled = 0 then 1 else 0 end`)
        .as("disabled"),
      eb.fn
        .sum<number>(sql`case when deleted_at is null and expires_at <= ${now} then 1 else 0 end`)
        .as("expired"),
      eb.fn
        .sum<number>(
          sql`case when deleted_at is null and expires_at > ${now} and expires_at <= ${soon} then 1 else 0 end`,
        )
        .as("expiring"),
      eb.fn
        .sum<number>(
          sql`case when deleted_at is null and policy_state <> 'rotates' then 1 else 0 end`,
        )
        .as("norotation"),
      eb.fn.sum<number>(sql`case when deleted_at is not null then 1 else 0 end`).as("deleted"),
    ])
    .groupBy(["hsm", "family"])
    .execute();
  const byHsm = new Map<string, HsmSummary>();
  for (const row of rows) {
    const summary =
      byHsm.get(row.hsm) ??
      ({
        hsm: row.hsm,
        total: 0,
        enabled: 0,
        disabled: 0,
        byFamily: { RSA: 0, EC: 0, oct: 0, unknown: 0 },
        expired: 0,
        expiringSoon: 0,
        withoutRotation: 0,
        deleted: 0,
      } satisfies HsmSummary);
    const deleted = Number(row.deleted);
    const live = Number(row.total) - deleted;
    summary.total += live;
    summary.enabled += Number(row.enabled);
    summary.disabled += Number(row.disabled);
    summary.byFamily[row.family ?? "unknown"] += live;
    summary.expired += Number(row.expired);
    summary.expiringSoon += Number(row.expiring);
    summary.withoutRotation += Number(row.norotation);
    summary.deleted += deleted;
    byHsm.set(row.hsm, summary);
  }
  return [...byHsm.values()];
}

export function hsmStates(db: Db) {
  return db.selectFrom("inventory_hsm").selectAll().orderBy("name").execute();
}
