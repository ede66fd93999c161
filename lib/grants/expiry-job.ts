import "server-only";

import { keyOfScope } from "@/lib/access/model";
import { getDb } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import { getEnv } from "@/lib/env";
import { expireDueGrants } from "@/lib/grants/expiry";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { getLogger } from "@/lib/log/logger";
import { requestNotify } from "@/lib/notify/job";
import { executorActor } from "@/lib/requests/executor-job";
import { refreshKey } from "@/lib/sync/service";

/*
 * The grant expiry job of the portal: at start-up and every KEYWARD_GRANT_EXPIRY_SECONDS, under
 * the lease `grants:expiry`, so one instance ends grants at a time (and the guarded claims keep
 * even two from ending one twice).
 */

const LEASE = "grants:expiry";
const LEASE_TTL_MS = 60_000;

let running = false;

async function runOnce(): Promise<void> {
  if (running) return;
  running = true;
  try {
    const db = await getDb();
    const outcome = await withLease(
      LEASE,
      LEASE_TTL_MS,
      () =>
        expireDueGrants({
          db,
          handleOf: portalHsmOrThrow,
          actor: executorActor(),
          refresh: async (hsm, scope) => {
            const key = keyOfScope(scope);
            if (key)
              await refreshKey(db, portalHsmOrThrow(hsm), key, {
                trigger: "change",
                notify: requestNotify(),
              });
          },
        }),
      { db },
    );
    if (outcome.acquired && (outcome.value.expired.length > 0 || outcome.value.failed.length > 0))
      getLogger().info(outcome.value, "time-limited grants ended");
  } catch (error) {
    getLogger().error({ err: error }, "the grant expiry job failed");
  } finally {
    running = false;
  }
}

export function startGrantExpiryJob(): void {
  void runOnce();
  setInterval(() => void runOnce(), getEnv().grantExpirySeconds * 1000).unref();
}
