import "server-only";

import type { PortalSession } from "@/lib/auth/sessions";
import { getDb, type Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { configuredHsms } from "@/lib/hsm/targets";
import { freshnessOf, type Freshness } from "@/lib/inventory/freshness";
import { hsmStates } from "@/lib/inventory/hsm-summaries";
import { visibilityOf, type Visibility } from "@/lib/inventory/visibility";

/** What every inventory page and API needs: the database, what the user may see, and how fresh it is. */
export interface InventoryContext {
  db: Db;
  visibility: Visibility;
  now: number;
  hsms: { name: string; region: string; url: string }[];
  freshness: Freshness[];
}

export async function inventoryContext(session: PortalSession): Promise<InventoryContext> {
  const env = getEnv();
  const db = await getDb();
  const now = Date.now();
  const states = new Map((await hsmStates(db)).map((row) => [row.name, row]));
  const hsms = configuredHsms(env).map(({ name, region, url }) => ({ name, region, url }));
  const freshness = hsms.map((hsm) => {
    const row = states.get(hsm.name);
    return freshnessOf(
      row && {
        name: row.name,
        lastSuccessAt: row.last_success_at,
        lastAttemptAt: row.last_attempt_at,
        lastError: row.last_error,
        lastErrorAt: row.last_error_at,
      },
      hsm.name,
      env.sync.intervalMinutes,
      now,
    );
  });
  return { db, visibility: visibilityOf(session), now, hsms, freshness };
}
